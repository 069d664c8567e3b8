// The "Wait for resources" task: queue for the resources and a slot, then look once more.
import type { Recommendation } from '../model/records.js';
import type { LockWaiters } from '../ports/lock-waiters.js';
import { lockHolder } from '../ports/workflow.js';
import { actionSlotOf, policyFrom } from '../rules/policy.js';
import { queuesOf, waitingSince } from '../rules/resource-queues.js';
import type { LockDeps } from './plan-tasks.js';
import { recommendationOf } from './recommendation-of.js';

/**
 * "Wait for resources" (.waitForTaskToken): queue for each resource and for a slot, then look once
 * more (they may have been freed meanwhile): free now answers the task at once, to try again.
 */
export async function awaitResources(
  input: { customer_id: string; recommendation_id: string; task_token: string },
  deps: LockDeps & { lockWaiters: LockWaiters },
): Promise<{ queued: boolean }> {
  const rec = await recommendationOf(input.customer_id, input.recommendation_id, deps);
  const policy = policyFrom(await deps.policies.getPolicy(input.customer_id));
  const slot = actionSlotOf(rec, policy);
  await joinQueues(rec, input.task_token, deps.clock.now(), deps.lockWaiters, slot !== undefined);
  const probe = await deps.locks.acquire(
    input.customer_id,
    lockHolder(rec.customer_id, rec.id),
    rec.affected_resources,
    policy.max_concurrent_executions,
    slot,
  );
  if (!probe.acquired) return { queued: true };
  // Ours now ("Acquire resource locks" takes them again as the same holder): leave the queues and go.
  await deps.lockWaiters.leave(input.customer_id, rec.id, queuesOf(rec));
  await deps.workflow.completeTask(input.task_token, { state: 'retry' });
  return { queued: false };
}

/** Joins the queues of the plan's resources and the slot queue, in its place. */
export async function joinQueues(
  rec: Recommendation,
  taskToken: string,
  now: Date,
  waiters: LockWaiters,
  /** Its action has a limit: it also queues for the action's slots. */
  limited = false,
): Promise<void> {
  const since = waitingSince(rec, now);
  // One write per queue, side by side: a plan of 1,000 resources should not wait for 1,001 round trips in a row.
  await Promise.all(
    queuesOf(rec, limited).map((resource) =>
      waiters.add(rec.customer_id, { resource, recommendation_id: rec.id, since, task_token: taskToken }),
    ),
  );
}
