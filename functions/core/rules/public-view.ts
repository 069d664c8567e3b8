// What the API shows of a stored approval or plan: never the workflow's task tokens and signal bookkeeping.
import type { Approval, ExecutionPlan, StoredApproval, StoredPlan } from '../model/records.js';

/** The plan as the API shows it: without the workflow's task tokens and signal bookkeeping. */
export function publicPlan(plan: StoredPlan): ExecutionPlan {
  const {
    execution_token: _token,
    execution_signal_at: _signal,
    interrupted_at: _interrupted,
    expired_at: _expired,
    ...rest
  } = plan;
  return { ...rest, steps: plan.steps.map(({ task_token: _t, signal_at: _s, ...step }) => step) };
}

const INTERNAL_FIELDS = ['task_token', 'signal_sent_at', 'notified_at'] as const;

/** The approval as the API shows it: without the workflow's bookkeeping (the task token above all). */
export function publicApproval(approval: StoredApproval): Approval {
  const copy: Record<string, unknown> = { ...approval };
  for (const field of INTERNAL_FIELDS) delete copy[field];
  return copy as unknown as Approval;
}
