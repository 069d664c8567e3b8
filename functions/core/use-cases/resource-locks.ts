// The "Acquire resource locks" / "Release locks" tasks; releasing wakes who waits.
import { StaleState } from '../model/errors.js';
import type { Recommendation } from '../model/records.js';
import type { LockWaiters } from '../ports/lock-waiters.js';
import { lockHolder, type Workflow } from '../ports/workflow.js';
import { ResourceBusy } from '../ports/workflow-contract.js';
import { actionSlotOf, type Policy, policyFrom } from '../rules/policy.js';
import { actionQueue, SLOT_QUEUE } from '../rules/resource-queues.js';
import type { GateDeps, LockDeps } from './plan-tasks.js';
import { recommendationOf } from './recommendation-of.js';

/**
 * A plan that cannot take its locks or an execution slot says so: waiting_resources, with a history
 * entry naming the resource and its holder (or the slot limit), written again only when that changes.
 */
async function showWaiting(
  rec: Recommendation,
  reason: string,
  deps: Pick<GateDeps, 'recommendations' | 'plans' | 'clock'>,
): Promise<void> {
  const said = `waiting for resources: ${reason}`;
  const at = deps.clock.now().toISOString();
  if (rec.status === 'approved' || rec.status === 'waiting_dependencies') {
    const changed = await deps.recommendations.changeStatus(rec.customer_id, {
      id: rec.id,
      from: rec.status,
      to: 'waiting_resources',
      entry: { status: 'waiting_resources', reason: said, at },
    });
    // It moved meanwhile (superseded, cancelled): the task fails rather than wait on its behalf.
    if (!changed) throw new StaleState(`recommendation ${rec.id} is no longer ${rec.status}`);
  } else if (rec.status === 'waiting_resources' && rec.history.at(-1)?.reason !== said) {
    await deps.plans.appendHistory(rec.customer_id, rec.id, { status: 'waiting_resources', reason: said, at });
  }
}

/** "Acquire resource locks" / "Release locks", held in the name of the execution. */
export async function resourceLocks(
  input: { customer_id: string; recommendation_id: string; action: 'acquire' | 'release'; execution_name: string },
  deps: LockDeps,
): Promise<{ held: number }> {
  const rec = await recommendationOf(input.customer_id, input.recommendation_id, deps);
  if (input.action === 'release') return releaseLocks(rec, deps);
  return takeLocks(rec, policyFrom(await deps.policies.getPolicy(input.customer_id)), deps);
}

/** Held in the recommendation's name, not the execution's: a repaired execution frees what a lost one took. */
const holderOf = (rec: Recommendation) => lockHolder(rec.customer_id, rec.id);

async function releaseLocks(rec: Recommendation, deps: LockDeps): Promise<{ held: number }> {
  await deps.locks.release(rec.customer_id, holderOf(rec), rec.affected_resources, rec.action);
  // Whoever waits for these resources, for a slot or for a slot of this action, tries again now.
  if (deps.lockWaiters)
    await wakeWaiters(
      rec.customer_id,
      rec.affected_resources,
      { lockWaiters: deps.lockWaiters, workflow: deps.workflow },
      rec.action,
    );
  return { held: 0 };
}

/** The locks and an execution slot for `rec`, under `policy` (read once by the task); busy: ResourceBusy. */
export async function takeLocks(
  rec: Recommendation,
  policy: Policy,
  deps: Omit<LockDeps, 'policies'>,
): Promise<{ held: number }> {
  const result = await deps.locks.acquire(
    rec.customer_id,
    holderOf(rec),
    rec.affected_resources,
    policy.max_concurrent_executions,
    actionSlotOf(rec, policy),
  );
  if (!result.acquired) {
    await showWaiting(rec, result.reason, deps);
    throw new ResourceBusy(result.reason);
  }
  // A count, not the list: the list can be 1,000 ids of 200 characters.
  return { held: rec.affected_resources.length };
}

/** Locks were released: wake the longest-waiting live plan of each freed resource and of the slot queue. */
export async function wakeWaiters(
  customerId: string,
  released: readonly string[],
  deps: { lockWaiters: LockWaiters; workflow: Workflow },
  /** The released execution's action: one waiting for a slot of it is woken too. */
  action?: string,
): Promise<number> {
  let woken = 0;
  for (const resource of [...new Set(released), SLOT_QUEUE, ...(action ? [actionQueue(action)] : [])]) {
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
