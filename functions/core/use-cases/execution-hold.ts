// One gate before the locks, for three reasons, each its own state in the workflow (issue 9 §6, §7;
// issue 10 §3): "Paused" (the customer is paused: woken by the resume), "Waiting for change window"
// (a Wait until the window opens or the freeze ends) and "Agent unavailable" (a first step's agent has
// its circuit open). A paused customer's running plans finish the step in hand, then wait ("Paused").
import type { Recommendation } from '../model/records.js';
import { isActive } from '../model/statuses.js';
import type { Clock } from '../ports/clock.js';
import type { PolicyStore, RecommendationStore } from '../ports/index.js';
import type { LockWaiters } from '../ports/lock-waiters.js';
import type { PlanStore } from '../ports/plans.js';
import type { Workflow } from '../ports/workflow.js';
import { holdBeforeStart } from '../rules/execution-hold.js';
import type { Cursor } from '../rules/plan-progress.js';
import { type Policy, policyFrom } from '../rules/policy.js';
import { isGraph, readySteps } from '../rules/step-graph.js';
import { agentsUnavailable, type CircuitDeps } from './agent-circuit.js';

/** The queue of a customer's plans waiting for the resume (the lock waiters' table, its own queue name). */
export const PAUSE_QUEUE = '#paused';

export interface HoldDeps {
  recommendations: RecommendationStore;
  plans: PlanStore;
  policies: PolicyStore;
  clock: Clock;
  /** The agents' circuits; without them no plan is held for an agent. */
  agents?: CircuitDeps['agents'];
  notifier?: CircuitDeps['notifier'];
}

/**
 * "Acquire resource locks", before it takes any: the cursor of the wait, or undefined when the plan may start.
 * `policy`: the customer's, as the task read it once.
 */
export async function holdBeforeLocks(
  rec: Recommendation,
  policy: Policy,
  deps: Omit<HoldDeps, 'policies'>,
): Promise<Cursor | undefined> {
  const base = held(policy);
  const hold = holdBeforeStart(rec, policy, deps.clock.now());
  if (hold?.kind === 'expired') return { ...base, state: 'expired' };
  if (hold) {
    await say(rec, hold.reason, deps);
    return hold.kind === 'paused' ? { ...base, state: 'paused' } : { ...base, state: 'window', wait_until: hold.until };
  }
  if (!deps.agents || !rec.plan_id) return undefined;
  const plan = await deps.plans.getPlan(rec.customer_id, rec.plan_id, { results: false });
  if (!plan) return undefined;
  const first = isGraph(plan.steps) ? readySteps(plan.steps) : plan.steps.slice(0, 1);
  const unavailable = await agentsUnavailable(
    rec.customer_id,
    first.map((s) => s.agent_id),
    policy.circuit_breaker,
    { agents: deps.agents, clock: deps.clock },
  );
  if (!unavailable) return undefined;
  await say(rec, `waiting: agent ${unavailable.agent_id} unavailable (circuit open), before taking locks`, deps);
  return { ...base, state: 'agent_unavailable', wait_seconds: unavailable.wait_seconds };
}

function held(policy: Policy): Cursor {
  return {
    index: 0,
    timeout_seconds: 1,
    done: false,
    rollback: false,
    hold: true,
    max_parallel: policy.max_parallel_steps,
  };
}

/** A history entry when the reason changes (not at every look). */
async function say(rec: Recommendation, reason: string, deps: Pick<HoldDeps, 'plans' | 'clock'>): Promise<void> {
  if (rec.history.at(-1)?.reason === reason) return;
  await deps.plans.appendHistory(rec.customer_id, rec.id, {
    status: rec.status,
    reason,
    at: deps.clock.now().toISOString(),
  });
}

/**
 * Between steps of a running plan: a paused customer's plan waits ("Paused") before its next step;
 * resumed, "Next ready steps" asks where it is. Finishing, or rolling back, is never held.
 */
export async function pausedBetweenSteps(
  rec: Recommendation,
  cursor: Cursor,
  deps: { policies?: PolicyStore; plans: PlanStore; clock: Clock },
): Promise<Cursor> {
  if (cursor.done || cursor.rollback || !deps.policies) return cursor;
  const policy = policyFrom(await deps.policies.getPolicy(rec.customer_id));
  if (!policy.paused) return cursor;
  await say(rec, 'paused: the customer is paused; the next step starts when resumed', deps);
  const { ready: _later, ...rest } = cursor;
  return { ...rest, state: 'paused', hold: false, max_parallel: cursor.max_parallel ?? policy.max_parallel_steps };
}

export interface ResumeDeps {
  recommendations: RecommendationStore;
  policies: PolicyStore;
  lockWaiters: LockWaiters;
  workflow: Workflow;
  clock: Clock;
}

/** "Paused" (.waitForTaskToken): queue for the resume, then look once more (it may have come meanwhile). */
export async function awaitResume(
  input: { customer_id: string; recommendation_id: string; task_token: string },
  deps: ResumeDeps,
): Promise<{ queued: boolean }> {
  const waiter = {
    resource: PAUSE_QUEUE,
    recommendation_id: input.recommendation_id,
    since: deps.clock.now().toISOString(),
    task_token: input.task_token,
  };
  await deps.lockWaiters.add(input.customer_id, waiter);
  const [stored, [rec]] = await Promise.all([
    deps.policies.getPolicy(input.customer_id),
    deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]),
  ]);
  const policy = policyFrom(stored);
  // Resumed, cancelled or ended meanwhile: go on now.
  if (policy.paused && rec && isActive(rec.status) && !rec.cancel_requested) return { queued: true };
  if (await deps.lockWaiters.claim(input.customer_id, waiter))
    await deps.workflow.completeTask(input.task_token, { state: 'resumed' });
  return { queued: false };
}

/** The customer was resumed (or a paused plan cancelled): its waiting plans go on now. Returns how many were woken. */
export async function wakePaused(
  customerId: string,
  deps: Pick<ResumeDeps, 'lockWaiters' | 'workflow'>,
  /** Only this recommendation's plan (a cancel). */
  recommendationId?: string,
): Promise<number> {
  let woken = 0;
  for (const waiter of await deps.lockWaiters.queue(customerId, PAUSE_QUEUE)) {
    if (recommendationId !== undefined && waiter.recommendation_id !== recommendationId) continue;
    if (!(await deps.lockWaiters.claim(customerId, waiter))) continue;
    if ((await deps.workflow.completeTask(waiter.task_token, { state: 'resumed' })) === 'sent') woken += 1;
  }
  return woken;
}
