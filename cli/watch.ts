// `plans watch`: reads the plan until it ends and tells each change of the plan's or a step's
// status as it is seen. Arbiter has no push channel for plans; a read every interval is enough
// for people watching (steps take seconds to hours).
import { setTimeout as sleep } from 'node:timers/promises';
import { FINISHED_PLAN_STATUSES } from '../functions/core/rules/plan-progress.js';
import type { ExecutionPlan } from '../sdk/client.js';

export interface PlanChange {
  at: string;
  plan_id: string;
  /** 1-based, absent for the plan itself. */
  step?: number;
  action?: string;
  status: string;
  duration_ms?: number;
  error?: string;
}

export interface WatchOptions {
  intervalMs: number;
  /** Give up after this long (0: never). */
  timeoutMs: number;
  now?: () => Date;
}

export class WatchTimedOut extends Error {
  override readonly name = 'WatchTimedOut';
}

/** What changed between two reads (everything, against none). */
export function changes(before: ExecutionPlan | undefined, after: ExecutionPlan, at: string): PlanChange[] {
  const found: PlanChange[] = [];
  if (before?.status !== after.status) found.push({ at, plan_id: after.id, status: after.status });
  for (const step of after.steps) {
    const previous = before?.steps[step.index];
    if (previous?.status === step.status) continue;
    found.push({
      at,
      plan_id: after.id,
      step: step.index + 1,
      action: step.action,
      status: step.status,
      ...(step.duration_ms ? { duration_ms: step.duration_ms } : {}),
      ...(step.error ? { error: step.error } : {}),
    });
  }
  return found;
}

export async function watchPlan(
  read: () => Promise<ExecutionPlan>,
  onChange: (change: PlanChange) => void,
  options: WatchOptions,
): Promise<ExecutionPlan> {
  const now = options.now ?? (() => new Date());
  const deadline = options.timeoutMs > 0 ? Date.now() + options.timeoutMs : Number.POSITIVE_INFINITY;
  let last: ExecutionPlan | undefined;
  for (;;) {
    const plan = await read();
    for (const change of changes(last, plan, now().toISOString())) onChange(change);
    last = plan;
    if (FINISHED_PLAN_STATUSES.includes(plan.status)) return plan;
    if (Date.now() + options.intervalMs > deadline)
      throw new WatchTimedOut(`plan ${plan.id} is still ${plan.status} after ${options.timeoutMs / 1000} s`);
    await sleep(options.intervalMs);
  }
}

export function describeChange(change: PlanChange): string {
  const time = change.at.slice(11, 19);
  if (change.step === undefined) return `${time}  plan ${change.plan_id}: ${change.status}`;
  const took = change.duration_ms ? ` (${change.duration_ms} ms)` : '';
  const error = change.error ? `: ${change.error}` : '';
  return `${time}  step ${change.step} ${change.action}: ${change.status}${took}${error}`;
}
