// POST /coordination/recommendations/{id}/cancel (issue 9 §5): by the agent that owns it, an
// orchestrator of its customer, or the admin key. Not started yet: it is cancelled at once, its
// approval closed and its workflow ended before it takes any lock. Executing: the run is asked to
// stop; no further step is dispatched, the completed reversible steps are rolled back, and it ends
// `cancelled` (or `rollback_failed`). Terminal: 409. Its dependents follow, as for any early end.
import { customerFor, requireRole } from '../access/principals.js';
import { Forbidden, StaleState, StateConflict } from '../model/errors.js';
import type { CancelRequest, Recommendation } from '../model/records.js';
import { inGroup, NOT_STARTED, type RecommendationStatus } from '../model/statuses.js';
import type { Principal } from '../ports/access.js';
import type { CoordinationPorts } from '../ports/coordination.js';
import type { LockWaiters } from '../ports/lock-waiters.js';
import { followEndedEarly } from './cancel-dependents.js';
import { wakePaused } from './execution-hold.js';
import { recommendationOf } from './recommendation-of.js';
import { stopWorkflowOf } from './reconcile.js';
import { signalWorkflow } from './signal-decision.js';

export interface CancelRequests {
  /**
   * Marks an executing recommendation; false when it is not executing (any more), was already asked, or
   * its run passed its last step (PlanStore.passLastStep).
   */
  requestCancel(customerId: string, recommendationId: string, request: CancelRequest): Promise<boolean>;
}

export interface CancelDeps extends CoordinationPorts {
  cancels: CancelRequests;
  /** Where paused plans wait: a plan paused between steps is woken, so it notices the request now. */
  lockWaiters?: LockWaiters;
}

export interface CancelResult {
  recommendation_id: string;
  /** `cancelled` now, or still `executing` while its run stops and rolls back. */
  status: 'cancelled' | 'executing';
  cancel_requested: CancelRequest;
  message: string;
}

const ATTEMPTS = 3;

/** Who may cancel: the owning agent, an orchestrator of its customer, the admin key; described for the history. */
export function canceller(principal: Principal, rec: Pick<Recommendation, 'agent_id' | 'customer_id'>): string {
  requireRole(principal, 'agent');
  customerFor(principal, rec.customer_id);
  if (principal.role === 'admin') return 'the admin key';
  if (principal.role !== 'agent') throw new Forbidden('only an agent, an orchestrator or the admin key may cancel');
  if (principal.orchestrator) return `orchestrator ${principal.agent_id}`;
  if (principal.agent_id !== rec.agent_id)
    throw new Forbidden(`recommendation belongs to agent ${rec.agent_id}; this key acts for ${principal.agent_id}`);
  return `agent ${principal.agent_id}`;
}

export async function cancelRecommendation(
  input: { customer_id: string; recommendation_id: string; reason: string; principal: Principal },
  deps: CancelDeps,
): Promise<CancelResult> {
  for (let attempt = 1; ; attempt++) {
    const rec = await recommendationOf(input.customer_id, input.recommendation_id, deps);
    const request: CancelRequest = {
      by: canceller(input.principal, rec),
      reason: input.reason,
      at: deps.clock.now().toISOString(),
    };
    try {
      if (rec.status === 'executing') return await stopRun(rec, request, deps);
      if (inGroup(NOT_STARTED, rec.status)) return await cancelNow(rec, request, deps);
    } catch (error) {
      // It moved meanwhile (approved, started, ended): judge again from what is stored.
      if (!(error instanceof StaleState) || attempt === ATTEMPTS) throw error;
      continue;
    }
    const said = rec.status_reason ? `: ${rec.status_reason}` : '';
    throw new StateConflict(`recommendation ${rec.id} already ended ${rec.status}${said}`);
  }
}

async function stopRun(rec: Recommendation, request: CancelRequest, deps: CancelDeps): Promise<CancelResult> {
  if (rec.cancel_requested)
    throw new StateConflict(
      `recommendation ${rec.id} is already being cancelled (by ${rec.cancel_requested.by} at ${rec.cancel_requested.at})`,
    );
  // Its run passed the last step before this request: it ends completed, so a 202 would be a lie.
  if (rec.last_step_passed_at)
    throw new StateConflict(`recommendation ${rec.id}: its last step has completed; it is finishing as completed`);
  if (!(await deps.cancels.requestCancel(rec.customer_id, rec.id, request)))
    throw new StaleState(`recommendation ${rec.id} is no longer executing`);
  if (deps.lockWaiters) await wakePaused(rec.customer_id, { ...deps, lockWaiters: deps.lockWaiters }, rec.id);
  return {
    recommendation_id: rec.id,
    status: 'executing',
    cancel_requested: request,
    message:
      'Cancelling: no further step starts; the completed reversible steps are rolled back, then it ends cancelled',
  };
}

/** Cancelled under the coordination lease (a coordination never judges it half-cancelled), then its workflow ends. */
async function cancelNow(rec: Recommendation, request: CancelRequest, deps: CancelDeps): Promise<CancelResult> {
  const reason = `cancelled by ${request.by}: ${request.reason}`;
  const release = await deps.recommendations.lockCustomer(rec.customer_id);
  try {
    await deps.recommendations.saveCoordination({
      customerId: rec.customer_id,
      created: [],
      changed: [
        {
          id: rec.id,
          from: rec.status as RecommendationStatus,
          to: 'cancelled',
          entry: { status: 'cancelled', reason, at: request.at },
        },
      ],
      approvals: [],
      plans: [],
      cancelledApprovals: rec.status === 'pending_approval' && rec.approval_id ? [{ id: rec.approval_id, reason }] : [],
    });
  } finally {
    await release();
  }
  // Waiting on its approval: the workflow is told (and ends through its catch); anywhere else before
  // the locks it is stopped, and its cleanup (execution-ended) cancels the unstarted plan.
  if (rec.status === 'pending_approval' && rec.approval_id)
    await signalWorkflow(rec.customer_id, rec.approval_id, deps);
  else await stopWorkflowOf(rec.customer_id, rec.id, reason, deps);
  const ended = { id: rec.id, how: `was cancelled by ${request.by}` };
  await followEndedEarly(rec.customer_id, { ended: [ended] }, deps);
  return { recommendation_id: rec.id, status: 'cancelled', cancel_requested: request, message: 'Cancelled' };
}
