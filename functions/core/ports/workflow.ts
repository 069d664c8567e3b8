// The recommendation workflow as the core sees it: one execution per recommendation, named
// after it, and the task tokens it waits on. Adapters run it on Step Functions (or the local engine).
import { createHash } from 'node:crypto';
import type { Approval, Recommendation } from '../model/records.js';
import { DEFAULT_POLICY } from '../rules/policy.js';
import { approvalTimer } from '../rules/reminders.js';
import type { WorkflowError } from './workflow-contract.js';

export interface WorkflowInput {
  customer_id: string;
  recommendation_id: string;
  approval: { required: boolean; approval_id: string | null; timeout_seconds: number };
  execute_now: boolean;
  /** Set by the reconciler for a plan whose execution was lost mid-run: roll back, end failed. */
  interrupted?: true;
  /**
   * Set by the reconciler for a plan whose execution was lost after its last step had passed (nothing was in
   * flight, and a cancel is refused from then on): release the locks and record the completion it reached.
   */
  last_step_passed?: true;
}

/** What completing a task reports: sent now, or the task had already been closed (timed out, decided, stopped). */
export type Signal = 'sent' | 'already_closed';

export interface Workflow {
  /** Starts the execution; starting one that already exists is not an error. */
  start(name: string, input: WorkflowInput): Promise<void>;
  completeTask(token: string, output: Record<string, unknown>): Promise<Signal>;
  /** Fails the task with an error the ASL knows by name (workflow-contract.ts). */
  failTask(token: string, error: WorkflowError, cause: string): Promise<Signal>;
  /** Stops a running execution; a missing or finished one is left as it is. */
  stop(name: string, cause: string): Promise<void>;
}

const MAX_NAME = 80;

/**
 * Step Functions execution names allow 1–80 of [A-Za-z0-9-_]. The name is readable where the ids
 * allow it and made unique by a short hash of the exact pair. A repaired workflow (the reconciler's
 * `repair`-th) needs a name of its own: Step Functions keeps a name for 90 days.
 */
export function executionName(customerId: string, recommendationId: string, repair = 0): string {
  const readable = `${customerId}--${recommendationId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const suffix = createHash('sha256').update(`${customerId}\u0000${recommendationId}`).digest('hex').slice(0, 10);
  const tag = repair > 0 ? `-r${repair}` : '';
  return `${readable.slice(0, MAX_NAME - suffix.length - 1 - tag.length)}-${suffix}${tag}`;
}

/**
 * Who holds a recommendation's locks: the name of its first execution, whichever execution (a
 * repaired one included) takes or frees them, so a repair can free what a lost execution held.
 */
export function lockHolder(customerId: string, recommendationId: string): string {
  return executionName(customerId, recommendationId);
}

/**
 * `reminders`: the policy's fractions for the approval's risk level; the wait on the approval ends at
 * the first one ("Remind approvers" then reads the policy itself, so the default only times the first wake-up).
 */
export function workflowInput(
  rec: Recommendation,
  approval: Approval | undefined,
  now: Date,
  reminders?: readonly number[],
): WorkflowInput {
  return {
    customer_id: rec.customer_id,
    recommendation_id: rec.id,
    approval: approval
      ? {
          required: true,
          approval_id: approval.id,
          timeout_seconds: approvalTimer(approval, reminders ?? DEFAULT_POLICY.reminders[approval.risk_level], now)
            .timeout_seconds,
        }
      : { required: false, approval_id: null, timeout_seconds: 1 },
    execute_now: rec.execute_now,
  };
}
