// A recommendation reached a terminal state: wake its waiting dependents.

import type { DependencyWaiters } from '../ports/dependency-waiters.js';
import type { Workflow } from '../ports/workflow.js';

/** A recommendation reached a terminal state: wake each dependent waiting on it, once. */
export async function signalDependents(
  customerId: string,
  recommendationId: string,
  deps: { waiters: DependencyWaiters; workflow: Workflow },
): Promise<number> {
  let signalled = 0;
  for (const waiter of await deps.waiters.waitingOn(customerId, recommendationId)) {
    if (!(await deps.waiters.claim(customerId, waiter))) continue;
    // A closed task (timed out into its poll, or stopped) needs nothing: it checks again anyway.
    if (
      (await deps.workflow.completeTask(waiter.task_token, { state: 'changed', dependency: recommendationId })) ===
      'sent'
    )
      signalled += 1;
  }
  return signalled;
}
