// Event-driven dependencies. A dependent whose dependencies are not done waits on a task token and
// leaves one waiter per pending dependency; whenever a recommendation reaches a terminal state,
// signalDependents wakes every dependent waiting on it at once, which then checks again. A poll with
// a long interval remains only as the safety net for terminal paths that do not signal.

import type { DependencyWaiters } from '../ports/dependency-waiters.js';
import { checkDependencies, type DependencyState } from './check-dependencies.js';
import type { GateDeps } from './plan-tasks.js';

export interface WaiterDeps extends GateDeps {
  waiters: DependencyWaiters;
}

/**
 * "Wait for a dependency to end" (.waitForTaskToken): leave a waiter on each pending dependency,
 * then check again, so a dependency that ended meanwhile is seen either here or by its signal. A
 * verdict other than waiting completes the task at once.
 */
export async function awaitDependencies(
  input: { customer_id: string; recommendation_id: string; task_token: string },
  deps: WaiterDeps,
): Promise<DependencyState> {
  const before = await checkDependencies(input, deps);
  if (before.state === 'waiting') {
    for (const dependency of before.waiting_for) {
      await deps.waiters.add(input.customer_id, {
        dependency_id: dependency,
        dependent_id: input.recommendation_id,
        task_token: input.task_token,
      });
    }
  }
  const verdict = before.state === 'waiting' ? await checkDependencies(input, deps) : before;
  if (verdict.state !== 'waiting') await deps.workflow.completeTask(input.task_token, { state: verdict.state });
  return verdict;
}
