// Running a plan, as pure rules over its step records: where the run goes next, what a step's
// end means, which steps to roll back, and how the plan ends.
import type { ExecutionPlan, PlanStatus, PlanStep } from '../model/records.js';
import { criticalFailure, isGraph, readySteps } from './step-graph.js';

export interface Cursor {
  index: number;
  timeout_seconds: number;
  done: boolean;
  /** After a failure: true when it was critical and the completed steps must be rolled back. */
  rollback: boolean;
  /**
   * Before the first step: the locks or a slot are taken (busy: wait up to wait_seconds), or the wait is
   * over (gave_up); agent_unavailable: the step's agent has its circuit open (wait wait_seconds, then
   * try again); paused: the customer is paused (wait for the resume); window: before the change window
   * or inside a freeze (wait until wait_until).
   */
  state?: 'busy' | 'gave_up' | 'expired' | 'agent_unavailable' | 'paused' | 'window';
  wait_seconds?: number;
  /** For state window: when to look again (a Wait state's TimestampPath). */
  wait_until?: string;
  /** Held before the locks (paused, window, agent_unavailable): after the wait, "Acquire resource locks" again. */
  hold?: boolean;
  /** A plan run as a graph: the steps to run now (ids, not results), at most max_parallel at once. */
  ready?: { index: number; timeout_seconds: number }[];
  max_parallel?: number;
}

/** The next step to run at or after `from`. */
export function cursorFrom(plan: ExecutionPlan, from: number, rollback = false): Cursor {
  const step = plan.steps[from];
  return step
    ? { index: from, timeout_seconds: step.timeout_seconds, done: false, rollback }
    : { index: plan.steps.length, timeout_seconds: 1, done: true, rollback };
}

/**
 * Where a plan run as a graph goes next: the ready steps (run side by side), the rollback after a
 * critical failure, or done. Asked only when none of its steps is running.
 */
export function graphCursor(plan: ExecutionPlan, maxParallel: number): Cursor {
  const base = { index: plan.steps.length, timeout_seconds: 1, max_parallel: maxParallel };
  if (criticalFailure(plan.steps)) return { ...base, done: false, rollback: true };
  const ready = readySteps(plan.steps).map((s) => ({ index: s.index, timeout_seconds: s.timeout_seconds }));
  if (ready.length === 0) return { ...base, done: true, rollback: false };
  return { ...base, index: ready[0].index, done: false, rollback: false, ready };
}

/** The cursor after a step ended: a graph asks again once the ready steps all ended; a sequence moves on. */
export function cursorAfter(plan: ExecutionPlan, index: number, maxParallel: number): Cursor {
  return isGraph(plan.steps) ? graphCursor(plan, maxParallel) : cursorFrom(plan, index + 1);
}

/**
 * Completed reversible steps, last completed first: exactly what a critical failure undoes. In a
 * sequence that is the reverse of the index order; in a graph, of the order the steps completed.
 */
export function rollbackQueue(plan: ExecutionPlan): number[] {
  return plan.steps
    .filter((s) => s.status === 'completed' && s.reversible)
    .sort((a, b) => (a.completed_at ?? '').localeCompare(b.completed_at ?? '') || a.index - b.index)
    .map((s) => s.index)
    .reverse();
}

export interface RollbackCursor {
  index: number;
  timeout_seconds: number;
  done: boolean;
}

/** The next step to roll back: a completed reversible step not yet handled, last first. */
export function nextRollback(plan: ExecutionPlan): RollbackCursor {
  const [index] = rollbackQueue(plan);
  if (index === undefined) return { index: -1, timeout_seconds: 1, done: true };
  return { index, timeout_seconds: plan.steps[index].timeout_seconds, done: false };
}

export type ExecutionOutcome = 'completed' | 'failed' | 'rolled_back' | 'rollback_failed' | 'cancelled';

/**
 * How a plan ends, from its steps and the path the workflow took: a failed rollback anywhere
 * makes it rollback_failed; a critical failure with everything undone, rolled_back (or failed
 * when there was nothing to undo); non-critical failures alone still complete it.
 */
export function planOutcome(
  plan: ExecutionPlan,
  path: 'completed' | 'failed' | 'rolled_back' | 'cancelled',
  /** Cancelled while it ran: its rollback may have failed, which outranks the cancel. */
  afterRollback = false,
): ExecutionOutcome {
  if (path === 'cancelled' && !afterRollback) return 'cancelled';
  if (plan.steps.some((s) => s.status === 'rollback_failed')) return 'rollback_failed';
  if (path === 'rolled_back') return plan.steps.some((s) => s.status === 'rolled_back') ? 'rolled_back' : 'failed';
  return path;
}

export const PLAN_STATUS_BY_OUTCOME: Record<ExecutionOutcome, PlanStatus> = {
  completed: 'completed',
  failed: 'failed',
  rolled_back: 'rolled_back',
  rollback_failed: 'rollback_failed',
  cancelled: 'cancelled',
};

/** The statuses of a plan that ended: a finished plan is never finished again. */
export const FINISHED_PLAN_STATUSES: readonly PlanStatus[] = [...new Set(Object.values(PLAN_STATUS_BY_OUTCOME))];

export function describeStep(step: PlanStep): string {
  return `step ${step.index + 1} ${step.action}`;
}
