// Waiting for resources, event-driven and first come, first served (issue 13 §3). A plan that cannot
// take its locks or an execution slot queues on each of its resources and on the customer's slot
// queue, then waits on a task token; whoever releases locks wakes the longest-waiting plan of each
// freed resource and of the slot queue, which then tries again. It gives up after the policy's
// max_wait_seconds; an hourly-or-so timeout is only the safety net for a wake-up that got lost.
import type { Recommendation } from './model.js';
import type { Workflow } from './workflow.js';

/** The queue of plans waiting for any execution slot of the customer. */
export const SLOT_QUEUE = '#slot';

export interface LockWaiter {
  resource: string;
  recommendation_id: string;
  /** When this plan started waiting: its place in every queue. */
  since: string;
  task_token: string;
}

export interface LockWaiters {
  add(customerId: string, waiter: LockWaiter): Promise<void>;
  /** The queue of one resource (or SLOT_QUEUE), longest waiting first. */
  queue(customerId: string, resource: string): Promise<LockWaiter[]>;
  /** Removes the waiter if it still holds this token: true for exactly one caller. */
  claim(customerId: string, waiter: LockWaiter): Promise<boolean>;
  /** Leaves every queue of these resources (after taking the locks, or giving up). */
  leave(customerId: string, recommendationId: string, resources: readonly string[]): Promise<void>;
}

/** Since when the plan has been waiting for resources: the start of its latest run of waiting_resources entries. */
export function waitingSince(rec: Pick<Recommendation, 'history'>, now: Date): string {
  let since: string | undefined;
  for (const entry of rec.history) since = entry.status === 'waiting_resources' ? (since ?? entry.at) : undefined;
  return since ?? now.toISOString();
}

export const queuesOf = (rec: Pick<Recommendation, 'affected_resources'>) => [...new Set(rec.affected_resources), SLOT_QUEUE];

/** Joins the queues of the plan's resources and the slot queue, in its place. */
export async function joinQueues(rec: Recommendation, taskToken: string, now: Date, waiters: LockWaiters): Promise<void> {
  const since = waitingSince(rec, now);
  // One write per queue, side by side: a plan of 1,000 resources should not wait for 1,001 round trips in a row.
  await Promise.all(queuesOf(rec).map((resource) => waiters.add(rec.customer_id, { resource, recommendation_id: rec.id, since, task_token: taskToken })));
}

/** Locks were released: wake the longest-waiting live plan of each freed resource and of the slot queue. */
export async function wakeWaiters(customerId: string, released: readonly string[], deps: { lockWaiters: LockWaiters; workflow: Workflow }): Promise<number> {
  let woken = 0;
  for (const resource of [...new Set(released), SLOT_QUEUE]) {
    for (const waiter of await deps.lockWaiters.queue(customerId, resource)) {
      if (!(await deps.lockWaiters.claim(customerId, waiter))) continue;
      // A closed token (that plan timed out into its retry, or ended) is dropped: the next in line is woken.
      if ((await deps.workflow.completeTask(waiter.task_token, { state: 'retry', freed: resource })) === 'sent') {
        woken += 1;
        break;
      }
    }
  }
  return woken;
}
