// Event-driven dependencies. A dependent whose dependencies are not done waits on a task token and
// leaves one waiter per pending dependency; whenever a recommendation reaches a terminal state,
// signalDependents wakes every dependent waiting on it at once, which then checks again. A poll with
// a long interval remains only as the safety net for terminal paths that do not signal.
import { checkDependencies, type DependencyState, type GateDeps } from './execution-gate.js';
import type { Workflow } from './workflow.js';

export interface DependencyWaiter {
  dependency_id: string;
  dependent_id: string;
  task_token: string;
}

export interface DependencyWaiters {
  /** Records that `dependent` waits on `dependency` with this token (replacing an older token). */
  add(customerId: string, waiter: DependencyWaiter): Promise<void>;
  /** Everyone waiting on `dependencyId`. */
  waitingOn(customerId: string, dependencyId: string): Promise<DependencyWaiter[]>;
  /** Removes the waiter if it still holds this token: true for exactly one caller. */
  claim(customerId: string, waiter: DependencyWaiter): Promise<boolean>;
}

export interface WaiterDeps extends GateDeps {
  waiters: DependencyWaiters;
}

/**
 * "Wait for a dependency to end" (.waitForTaskToken): leave a waiter on each pending dependency,
 * then check again, so a dependency that ended meanwhile is seen either here or by its signal. A
 * verdict other than waiting completes the task at once.
 */
export async function awaitDependencies(input: { customer_id: string; recommendation_id: string; task_token: string }, deps: WaiterDeps): Promise<DependencyState> {
  const before = await checkDependencies(input, deps);
  if (before.state === 'waiting') {
    for (const dependency of before.waiting_for) {
      await deps.waiters.add(input.customer_id, { dependency_id: dependency, dependent_id: input.recommendation_id, task_token: input.task_token });
    }
  }
  const verdict = before.state === 'waiting' ? await checkDependencies(input, deps) : before;
  if (verdict.state !== 'waiting') await deps.workflow.completeTask(input.task_token, { state: verdict.state });
  return verdict;
}

/** A recommendation reached a terminal state: wake each dependent waiting on it, once. */
export async function signalDependents(customerId: string, recommendationId: string, deps: { waiters: DependencyWaiters; workflow: Workflow }): Promise<number> {
  let signalled = 0;
  for (const waiter of await deps.waiters.waitingOn(customerId, recommendationId)) {
    if (!(await deps.waiters.claim(customerId, waiter))) continue;
    // A closed task (timed out into its poll, or stopped) needs nothing: it checks again anyway.
    if ((await deps.workflow.completeTask(waiter.task_token, { state: 'changed', dependency: recommendationId })) === 'sent') signalled += 1;
  }
  return signalled;
}
