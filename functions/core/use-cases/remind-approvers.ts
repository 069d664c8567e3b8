// The "Remind approvers" task: the workflow's wait on the approval timed out at a reminder time
// (issue 9 §9). Every approver who has not voted gets the approval email again, marked as a
// reminder, with the votes and the time left as they are now; the task then says how long the
// workflow waits next: until the next reminder, or until the approval expires. Past the expiry it
// alerts the operators (escalate-expiry.ts) and fails with Expired, which the ASL records as the
// approval's expiry.

import { NotFound } from '../model/errors.js';
import type { PolicyStore } from '../ports/index.js';
import { WORKFLOW_ERRORS } from '../ports/workflow-contract.js';
import { policyFrom } from '../rules/policy.js';
import { approvalTimer, remindersDue } from '../rules/reminders.js';
import { alertUnansweredExpiry, notVoted } from './escalate-expiry.js';
import { type ApprovalRequestDeps, notifyApprovers, recommendationOf } from './request-approval.js';

export interface ReminderInput {
  customer_id: string;
  recommendation_id: string;
  approval_id: string;
}

/** What the ASL puts back at `$.approval`: the next wait's TimeoutSeconds. */
export interface ReminderResult {
  required: true;
  approval_id: string;
  timeout_seconds: number;
  next_reminder_at?: string;
  /** Approvers reminded by this call. */
  reminded: number;
}

/** The approval ran out of time with no decision: "Record expiry" closes it. */
export class ApprovalExpired extends Error {
  override name = WORKFLOW_ERRORS.Expired;
}

export type ReminderDeps = Omit<ApprovalRequestDeps, 'workflow'> & { policies: PolicyStore };

export async function remindApprovers(input: ReminderInput, deps: ReminderDeps): Promise<ReminderResult> {
  const approval = await deps.approvals.getApproval(input.customer_id, input.approval_id);
  if (!approval) throw new NotFound(`approval ${input.approval_id} not found`);
  const now = deps.clock.now();
  const base = { required: true as const, approval_id: approval.id };
  // Decided (or withdrawn) meanwhile: back to the wait, whose task signals the decision at once.
  if (approval.status !== 'pending') return { ...base, timeout_seconds: 1, reminded: 0 };
  if (now.getTime() >= Date.parse(approval.expires_at)) {
    await alertUnansweredExpiry(approval, deps);
    throw new ApprovalExpired(`approval ${approval.id} expired at ${approval.expires_at} with no decision`);
  }
  const fractions = policyFrom(await deps.policies.getPolicy(input.customer_id)).reminders[approval.risk_level];
  let reminded = 0;
  // Only when a reminder time has come: a wait that ended early sends nothing and just waits again.
  if (remindersDue(approval, fractions, now) > 0) {
    const rec = await recommendationOf(input.customer_id, input.recommendation_id, deps);
    const waitingFor = notVoted(approval, await deps.approvers.listApprovers(input.customer_id));
    await notifyApprovers(rec, approval, waitingFor, 'approval_reminder', deps);
    reminded = waitingFor.length;
  }
  return { ...base, ...approvalTimer(approval, fractions, now), reminded };
}
