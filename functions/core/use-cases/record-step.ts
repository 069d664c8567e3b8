// The "Run steps", "Step completed|failed" and "Roll back ..." bookkeeping task: record what a step
// did, then say where the run goes next. Every report lands once: the step's task token is claimed before use.

import type { PlanStep, Recommendation, StoredPlan } from '../model/records.js';
import { PLAN_UNDER_WAY } from '../model/statuses.js';
import type { AgentTarget } from '../ports/agent-client.js';
import type { AgentRecord } from '../ports/index.js';
import type { Metrics } from '../ports/metrics.js';
import { NotRunnable } from '../ports/workflow-contract.js';
import {
  type Cursor,
  cursorAfter,
  cursorFrom,
  describeStep,
  graphCursor,
  nextRollback,
  type RollbackCursor,
} from '../rules/plan-progress.js';
import { DEFAULT_POLICY } from '../rules/policy.js';
import { isGraph } from '../rules/step-graph.js';
import { type CircuitDeps, countDispatch } from './agent-circuit.js';
import { pausedBetweenSteps } from './execution-hold.js';
import { loadPlanOf, type StepDeps } from './plan-tasks.js';

/**
 * The secrets a callback may be signed with: the agent's current one and, while the grace period of
 * its last rotation lasts, the previous one (a step dispatched before the rotation, or an agent not
 * yet redeployed, still reports). The simulated agents have one secret of their own.
 */
export function callbackSecrets(target: AgentTarget, agent: AgentRecord | undefined, now: Date): string[] {
  const previous = agent?.previous_signing_secret;
  const until = agent?.previous_signing_secret_until;
  if (target.simulated || !previous || !until || Date.parse(until) <= now.getTime()) return [target.secret];
  return [target.secret, previous];
}

export type StepEvent =
  | { event: 'start'; max_parallel?: number }
  /** A plan run as a graph, after its ready steps all ended: the next ones, the rollback, or done. */
  | { event: 'next'; max_parallel: number }
  | {
      event: 'completed';
      step_index: number;
      outcome: { result?: Record<string, unknown>; rollback_data?: Record<string, unknown> | null };
    }
  | { event: 'failed'; step_index: number; error: { Error?: string; Cause?: string } }
  | { event: 'plan_rollback' }
  | { event: 'rolled_back'; step_index: number; outcome: { result?: Record<string, unknown> } }
  | { event: 'rollback_failed'; step_index: number; error: { Error?: string; Cause?: string } };

/** The "Run steps", "Step completed|failed", "Roll back ..." bookkeeping: record, then say where to go. */
export async function recordStep(
  input: { customer_id: string; recommendation_id: string } & StepEvent,
  deps: Pick<StepDeps, 'recommendations' | 'plans' | 'clock'> & Partial<CircuitDeps> & { metrics?: Metrics },
): Promise<Cursor | RollbackCursor> {
  const { rec, plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps, false);
  const now = deps.clock.now();
  const at = now.toISOString();
  const c = input.customer_id;
  // Where the run goes after a step or a pause: a pause between steps first, then its end or a cancel's rollback.
  const goOn = async (cursor: Cursor) => finishOrRollBack(rec, await pausedBetweenSteps(rec, cursor, deps), at, deps);
  switch (input.event) {
    case 'start': {
      const started = await deps.plans.startPlan(c, plan.id, {
        id: rec.id,
        from: PLAN_UNDER_WAY,
        to: 'executing',
        entry: { status: 'executing', reason: `executing plan ${plan.id} (${plan.steps.length} steps)`, at },
      });
      // Superseded or cancelled just before: its steps must not run (the Catch releases the locks).
      if (started.status !== 'running')
        throw new NotRunnable(`plan ${plan.id} is ${started.status}: recommendation ${rec.id} is no longer approved`);
      const first = isGraph(started.steps)
        ? graphCursor(started, input.max_parallel ?? DEFAULT_POLICY.max_parallel_steps)
        : cursorFrom(started, firstUnfinished(started));
      return finishOrRollBack(rec, first, at, deps);
    }
    case 'next': {
      // After the ready steps, or after a pause between steps: where the run is now.
      const cursor = isGraph(plan.steps)
        ? graphCursor(plan, input.max_parallel)
        : cursorFrom(plan, firstUnfinished(plan));
      return goOn(cursor);
    }
    case 'completed': {
      const step = plan.steps[input.step_index];
      const after = await finishStep(
        c,
        plan,
        step,
        {
          status: 'completed',
          result: input.outcome.result ?? {},
          ...(input.outcome.rollback_data ? { rollback_data: input.outcome.rollback_data } : {}),
        },
        now,
        deps,
      );
      await history(c, rec.id, `${describeStep(step)} completed in ${durationMs(step, now)} ms`, at, deps);
      return goOn(cursorAfter(after, step.index, 1));
    }
    case 'failed': {
      const step = plan.steps[input.step_index];
      const error = errorText(input.error);
      const after = await finishStep(c, plan, step, { status: 'failed', error }, now, deps);
      // A step that timed out counts against its agent's circuit, as a transient failure does.
      if (input.error.Error === 'States.Timeout' && deps.agents)
        await countDispatch(c, step.agent_id, false, { ...deps, agents: deps.agents });
      await history(
        c,
        rec.id,
        `${describeStep(step)} failed (${step.critical ? 'critical' : 'not critical, continuing'}): ${error}`,
        at,
        deps,
      );
      return step.critical
        ? { ...cursorAfter(after, step.index, 1), rollback: true }
        : goOn(cursorAfter(after, step.index, 1));
    }
    case 'plan_rollback':
      return nextRollback(plan);
    case 'rolled_back':
    case 'rollback_failed': {
      const step = plan.steps[input.step_index];
      const failed = input.event === 'rollback_failed';
      const fields: Partial<PlanStep> = failed
        ? { status: 'rollback_failed', error: errorText(input.error) }
        : { status: 'rolled_back', rollback_result: input.outcome.result ?? {} };
      const after = (await deps.plans.updateStep(c, plan.id, step.index, fields, ['completed'])) ?? plan;
      await history(
        c,
        rec.id,
        `${describeStep(step)} ${failed ? `could not be rolled back: ${errorText(input.error)}` : 'rolled back'}`,
        at,
        deps,
      );
      return nextRollback(after);
    }
  }
}

/**
 * A run someone cancelled dispatches no further step: it goes to the rollback of its completed
 * reversible steps instead (also after its last step: the cancel was accepted while it ran).
 */
export function unlessCancelled(rec: Pick<Recommendation, 'cancel_requested'>, cursor: Cursor): Cursor {
  if (!rec.cancel_requested || cursor.rollback) return cursor;
  const { ready: _notNow, state: _noWait, wait_seconds: _none, ...rest } = cursor;
  return { ...rest, done: false, rollback: true };
}

/**
 * unlessCancelled, and when the run is past its last step, the mark that says so (PlanStore.passLastStep):
 * written only while no cancel is requested, and a cancel is accepted only while it is absent, so a cancel
 * that answered 202 always ends in the rollback, and one that comes later is refused (409). When the mark
 * loses to a cancel that landed after `rec` was read, the recommendation is read again: it rolls back.
 */
async function finishOrRollBack(
  rec: Recommendation,
  cursor: Cursor,
  at: string,
  deps: Pick<StepDeps, 'recommendations' | 'plans'>,
): Promise<Cursor> {
  const unless = unlessCancelled(rec, cursor);
  if (!unless.done || (await deps.plans.passLastStep(rec.customer_id, rec.id, at))) return unless;
  const [now] = await deps.recommendations.getRecommendations(rec.customer_id, [rec.id]);
  // Not cancelled: it is no longer executing (a retry after the outcome was recorded); where it was going stands.
  return now ? unlessCancelled(now, cursor) : cursor;
}

function firstUnfinished(plan: StoredPlan): number {
  const index = plan.steps.findIndex((s) => s.status === 'pending' || s.status === 'running');
  return index === -1 ? plan.steps.length : index;
}

async function finishStep(
  customerId: string,
  plan: StoredPlan,
  step: PlanStep,
  fields: Partial<PlanStep>,
  now: Date,
  deps: Pick<StepDeps, 'plans'> & { metrics?: Metrics },
): Promise<StoredPlan> {
  const updated = await deps.plans.updateStep(
    customerId,
    plan.id,
    step.index,
    { ...fields, completed_at: now.toISOString(), duration_ms: durationMs(step, now) },
    ['pending', 'running'],
  );
  // Counted by the attempt that recorded it, not by a retry.
  if (updated) deps.metrics?.duration('StepDuration', durationMs(step, now), step.action);
  // Already recorded by an earlier attempt of this task: the plan as it is.
  return updated ?? (await deps.plans.getPlan(customerId, plan.id, { results: false }))!;
}

function durationMs(step: PlanStep, now: Date): number {
  return step.started_at ? Math.max(0, now.getTime() - Date.parse(step.started_at)) : 0;
}

function errorText(error: { Error?: string; Cause?: string }): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (parsed.errorMessage) return `${error.Error}: ${parsed.errorMessage}`;
  } catch {
    // a plain-text cause
  }
  return [error.Error, cause].filter(Boolean).join(': ') || 'unknown error';
}

async function history(
  customerId: string,
  recommendationId: string,
  reason: string,
  at: string,
  deps: Pick<StepDeps, 'plans'>,
): Promise<void> {
  await deps.plans.appendHistory(customerId, recommendationId, { status: 'executing', reason, at });
}
