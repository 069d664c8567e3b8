// The "Acquire resource locks" task with the start of the plan, or how long to wait.
import { NotFound } from '../model/errors.js';
import type { Metrics } from '../ports/metrics.js';
import { ResourceBusy } from '../ports/workflow-contract.js';
import { hasExpired } from '../rules/expiry.js';
import type { Cursor } from '../rules/plan-progress.js';
import { policyFrom } from '../rules/policy.js';
import { queuesOf, waitingSince } from '../rules/resource-queues.js';
import { type HoldDeps, holdBeforeLocks } from './execution-hold.js';
import type { LockDeps } from './plan-tasks.js';
import { recordStep } from './record-step.js';
import { resourceLocks } from './resource-locks.js';

/** The longest a "Wait for resources" waits before it tries again anyway (the safety net for a lost wake-up). */
export const MAX_RESOURCE_WAIT_ROUND_SECONDS = 6 * 3600;

/**
 * "Acquire resource locks": the locks and an execution slot, then the plan marked running and the
 * cursor on its first step, in one task (one state instead of two). Both halves are idempotent.
 * Busy: the cursor says how long to wait (what is left of the policy's max_wait_seconds); past it, gave_up.
 */
export async function acquireAndStart(
  input: { customer_id: string; recommendation_id: string; execution_name: string },
  deps: LockDeps & Pick<HoldDeps, 'agents' | 'notifier'> & { metrics?: Metrics },
): Promise<Cursor> {
  const [before] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  // Woken (or timed out) after its expires_at: it does not start.
  if (before && hasExpired(before, deps.clock.now())) {
    if (deps.lockWaiters) await deps.lockWaiters.leave(input.customer_id, before.id, queuesOf(before));
    return { index: 0, timeout_seconds: 1, done: false, rollback: false, state: 'expired' };
  }
  // Paused, outside its change window, or its first steps' agents unavailable: it waits before any lock.
  const held = before ? await holdBeforeLocks(before, deps) : undefined;
  if (held) {
    if (held.state === 'expired' && deps.lockWaiters)
      await deps.lockWaiters.leave(input.customer_id, before!.id, queuesOf(before!));
    return held;
  }
  try {
    await resourceLocks({ ...input, action: 'acquire' }, deps);
  } catch (error) {
    if (!(error instanceof ResourceBusy)) throw error;
    return waitCursor(input, deps);
  }
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (deps.lockWaiters && rec) await deps.lockWaiters.leave(input.customer_id, rec.id, queuesOf(rec));
  if (rec && rec.status !== 'executing') {
    const now = deps.clock.now();
    deps.metrics?.duration('WaitTime', now.getTime() - Date.parse(waitingSince(rec, now)), 'locks');
  }
  const policy = policyFrom(await deps.policies.getPolicy(input.customer_id));
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

async function waitCursor(input: { customer_id: string; recommendation_id: string }, deps: LockDeps): Promise<Cursor> {
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (!rec) throw new NotFound(`recommendation ${input.recommendation_id} not found`);
  const now = deps.clock.now();
  const policy = policyFrom(await deps.policies.getPolicy(input.customer_id));
  const left = Date.parse(waitingSince(rec, now)) + policy.max_wait_seconds * 1000 - now.getTime();
  const base = { index: 0, timeout_seconds: 1, done: false, rollback: false };
  if (left <= 0) {
    if (deps.lockWaiters) await deps.lockWaiters.leave(input.customer_id, rec.id, queuesOf(rec));
    return { ...base, state: 'gave_up' };
  }
  return {
    ...base,
    state: 'busy',
    wait_seconds: Math.min(MAX_RESOURCE_WAIT_ROUND_SECONDS, Math.max(1, Math.ceil(left / 1000))),
  };
}
