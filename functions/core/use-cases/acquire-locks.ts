// The "Acquire resource locks" task with the start of the plan, or how long to wait.
import type { Recommendation } from '../model/records.js';
import type { Metrics } from '../ports/metrics.js';
import { ResourceBusy } from '../ports/workflow-contract.js';
import { hasExpired } from '../rules/expiry.js';
import type { Cursor } from '../rules/plan-progress.js';
import { type Policy, policyFrom } from '../rules/policy.js';
import { queuesOf, waitingSince } from '../rules/resource-queues.js';
import { type HoldDeps, holdBeforeLocks } from './execution-hold.js';
import type { LockDeps } from './plan-tasks.js';
import { recommendationOf } from './recommendation-of.js';
import { recordStep } from './record-step.js';
import { takeLocks } from './resource-locks.js';

/** The longest a "Wait for resources" waits before it tries again anyway (the safety net for a lost wake-up). */
export const MAX_RESOURCE_WAIT_ROUND_SECONDS = 6 * 3600;

/**
 * "Acquire resource locks": the locks and an execution slot, then the plan marked running and the
 * cursor on its first step, in one task (one state instead of two). Both halves are idempotent.
 * Busy: the cursor says how long to wait (what is left of the policy's max_wait_seconds); past it, gave_up.
 * The recommendation and the policy are read once here and passed down (recordStep reads its own).
 */
export async function acquireAndStart(
  input: { customer_id: string; recommendation_id: string; execution_name: string },
  deps: LockDeps & Pick<HoldDeps, 'agents' | 'notifier'> & { metrics?: Metrics },
): Promise<Cursor> {
  const [rec, stored] = await Promise.all([
    recommendationOf(input.customer_id, input.recommendation_id, deps),
    deps.policies.getPolicy(input.customer_id),
  ]);
  const policy = policyFrom(stored);
  const leaveQueues = async () => {
    if (deps.lockWaiters) await deps.lockWaiters.leave(input.customer_id, rec.id, queuesOf(rec));
  };
  // Woken (or timed out) after its expires_at: it does not start.
  if (hasExpired(rec, deps.clock.now())) {
    await leaveQueues();
    return { index: 0, timeout_seconds: 1, done: false, rollback: false, state: 'expired' };
  }
  // Paused, outside its change window, or its first steps' agents unavailable: it waits before any lock.
  const held = await holdBeforeLocks(rec, policy, deps);
  if (held) {
    if (held.state === 'expired') await leaveQueues();
    return held;
  }
  try {
    await takeLocks(rec, policy, deps);
  } catch (error) {
    if (!(error instanceof ResourceBusy)) throw error;
    return waitCursor(rec, policy, deps);
  }
  await leaveQueues();
  // Its wait for resources, as it stood before the locks (taking them changes neither status nor history).
  if (rec.status !== 'executing') {
    const now = deps.clock.now();
    deps.metrics?.duration('WaitTime', now.getTime() - Date.parse(waitingSince(rec, now)), 'locks');
  }
  return (await recordStep(
    {
      customer_id: input.customer_id,
      recommendation_id: input.recommendation_id,
      event: 'start',
      max_parallel: policy.max_parallel_steps,
    },
    deps,
  )) as Cursor;
}

/**
 * Busy: how long to wait, from the start of its run of waiting_resources. `rec` as read before the
 * locks were tried: a first refusal starts that run now, which is where waitingSince puts it anyway.
 */
async function waitCursor(rec: Recommendation, policy: Policy, deps: LockDeps): Promise<Cursor> {
  const now = deps.clock.now();
  const left = Date.parse(waitingSince(rec, now)) + policy.max_wait_seconds * 1000 - now.getTime();
  const base = { index: 0, timeout_seconds: 1, done: false, rollback: false };
  if (left <= 0) {
    if (deps.lockWaiters) await deps.lockWaiters.leave(rec.customer_id, rec.id, queuesOf(rec));
    return { ...base, state: 'gave_up' };
  }
  return {
    ...base,
    state: 'busy',
    wait_seconds: Math.min(MAX_RESOURCE_WAIT_ROUND_SECONDS, Math.max(1, Math.ceil(left / 1000))),
  };
}
