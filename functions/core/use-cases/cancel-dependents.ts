// Dependents follow their dependencies at once (issue 13 §6): when a recommendation ends without
// running (superseded, expired, rejected), whatever depends on it, directly or through others, and
// has not started is cancelled with the true reason. A pending approval is withdrawn (closed
// `cancelled`, its workflow told why); an approved or waiting one has its workflow stopped, whose
// cleanup (execution-ended) cancels its unstarted plan and wakes its own dependents.

import type { Recommendation } from '../model/records.js';
import { CANCELLABLE_STATUSES, inGroup } from '../model/statuses.js';
import type { CoordinationPorts } from '../ports/coordination.js';
import type { StatusChange } from '../ports/index.js';
import { underCustomerLease } from './customer-lease.js';
import { stopWorkflowOf } from './reconcile.js';
import { reconsiderLosers } from './reconsider-losers.js';
import { signalWorkflow } from './signal-decision.js';

/** A recommendation that ended without running, and how ("was rejected by alice"). */
export interface EndedEarly {
  id: string;
  how: string;
}

/** What ended without completing, and what follows from it. */
export interface Ending {
  /** Their not-started dependents are cancelled (§6). */
  ended: readonly EndedEarly[];
  /** Those these had beaten are judged again (§5); by default all of `ended` (none when it had run). */
  revive?: readonly EndedEarly[];
  /** The customer's active recommendations, when the caller has just read them: spares a read. */
  active?: readonly Recommendation[];
}

/**
 * What follows recommendations that ended without completing: their dependents are cancelled, then
 * the losers they had beaten are reconsidered (after the cancellations, so those count as ended too).
 */
export async function followEndedEarly(customerId: string, ending: Ending, deps: CoordinationPorts): Promise<void> {
  await cancelDependents(customerId, ending.ended, deps, ending.active);
  for (const ended of ending.revive ?? ending.ended) await reconsiderLosers(customerId, ended, deps);
}

/**
 * Cancels the dependents of `ended`; returns their ids. A read first: the customer's coordination
 * lease (a write, and a wait behind any coordination) is taken only when someone depends on them.
 */
export async function cancelDependents(
  customerId: string,
  ended: readonly EndedEarly[],
  deps: CoordinationPorts,
  active?: readonly Recommendation[],
): Promise<string[]> {
  if (ended.length === 0) return [];
  if (dependentsOf(active ?? (await deps.recommendations.listActive(customerId)), ended).length === 0) return [];
  // A dependent that moved meanwhile (an approval landed) is judged again from what is stored.
  const cancelled = await underCustomerLease(customerId, deps, () => cancelUnderLease(customerId, ended, deps));
  await Promise.all(
    cancelled.map(({ rec, reason }) =>
      rec.status === 'pending_approval' && rec.approval_id
        ? signalWorkflow(customerId, rec.approval_id, deps)
        : stopWorkflowOf(customerId, rec.id, reason, deps),
    ),
  );
  // Cancelled before running: those they had beaten may now win (issue 13 §5).
  for (const { rec } of cancelled) await reconsiderLosers(customerId, { id: rec.id, how: 'was cancelled' }, deps);
  return cancelled.map(({ rec }) => rec.id);
}

async function cancelUnderLease(customerId: string, ended: readonly EndedEarly[], deps: CoordinationPorts) {
  const active = await deps.recommendations.listActive(customerId);
  const victims = dependentsOf(active, ended);
  if (victims.length === 0) return [];
  const at = deps.clock.now().toISOString();
  const changed: StatusChange[] = victims.map(({ rec, reason }) => ({
    id: rec.id,
    from: rec.status,
    to: 'cancelled',
    entry: { status: 'cancelled', reason, at },
  }));
  const cancelledApprovals = victims
    .filter(({ rec }) => rec.status === 'pending_approval' && rec.approval_id)
    .map(({ rec, reason }) => ({ id: rec.approval_id!, reason }));
  await deps.recommendations.saveCoordination({
    customerId,
    created: [],
    changed,
    approvals: [],
    plans: [],
    cancelledApprovals,
  });
  return victims;
}

/** The not-yet-started recommendations that depend on an ended one, directly or transitively, each with its reason. */
export function dependentsOf(
  active: readonly Recommendation[],
  ended: readonly EndedEarly[],
): { rec: Recommendation; reason: string }[] {
  // Each cancelled id remembers the root cause, so a long chain's reasons stay short.
  const roots = new Map(ended.map((e) => [e.id, `${e.id} ${e.how}`]));
  const direct = new Set(roots.keys());
  const victims: { rec: Recommendation; reason: string }[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const rec of active) {
      if (roots.has(rec.id) || !inGroup(CANCELLABLE_STATUSES, rec.status)) continue;
      const cause = rec.dependencies.find((d) => roots.has(d));
      if (cause === undefined) continue;
      const root = roots.get(cause)!;
      roots.set(rec.id, root);
      victims.push({
        rec,
        reason: direct.has(cause) ? `dependency ${root}` : `dependency ${cause} was cancelled because ${root}`,
      });
      grew = true;
    }
  }
  return victims;
}
