// Waiting for resources, event-driven and first come, first served (issue 13 §3). A plan that cannot
// take its locks or an execution slot queues on each of its resources and on the customer's slot
// queue, then waits on a task token; whoever releases locks wakes the longest-waiting plan of each
// freed resource and of the slot queue, which then tries again. It gives up after the policy's
// max_wait_seconds; an hourly-or-so timeout is only the safety net for a wake-up that got lost.

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
