// The "Remind approvers" task: the workflow's wait on the approval timed out at a reminder time
// (issue 9 §9). Every approver who has not voted gets the approval email again, marked as a
// reminder, with the votes and the time left as they are now; the task then says how long the
// workflow waits next: until the next reminder, or until the approval expires. Past the expiry it
// alerts the operators (escalate-expiry.ts) and fails with Expired, which the ASL records as the
// approval's expiry.

import { NotFound } from '../model/errors.js';
import type { StoredApproval } from '../model/records.js';
import type { ApproverRecord, PolicyStore } from '../ports/index.js';
import type { Notifier } from '../ports/notifier.js';
import { WORKFLOW_ERRORS } from '../ports/workflow-contract.js';
import { policyFrom } from '../rules/policy.js';
import { approvalTimer, remindersDue } from '../rules/reminders.js';
import { alertUnansweredExpiry, notVoted } from './escalate-expiry.js';
import { recommendationOf } from './recommendation-of.js';
import { type ApprovalRequestDeps, notifyApprovers } from './request-approval.js';

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
  const round = remindersDue(approval, fractions, now);
  if (round > 0) {
    const waitingFor = notVoted(approval, await deps.approvers.listApprovers(input.customer_id));
    reminded = await remindOnce(input, approval, round, waitingFor, deps);
  }
  return { ...base, ...approvalTimer(approval, fractions, now), reminded };
}

/** The record of reminder `round` to one approver (ApprovalStore.claimNotice). */
export const reminderNotice = (round: number, approverId: string) => `reminder-${round}#${approverId}`;

/**
 * Reminder `round` to each approver at most once, also when the task is retried after sending some:
 * each approver's reminder is recorded before it is sent, and a retry skips the recorded ones. A send
 * that fails gives its record back (and those not reached yet), so the retry sends them; only a crash
 * between the record and the send loses that one reminder. Lost rather than doubled: a reminder is a
 * nudge the next round, the original email and the expiry's escalation back up; a duplicate lands
 * in a person's inbox. Returns how many were sent by this call.
 */
async function remindOnce(
  input: ReminderInput,
  approval: StoredApproval,
  round: number,
  approvers: readonly ApproverRecord[],
  deps: ReminderDeps,
): Promise<number> {
  const claim = (a: ApproverRecord) =>
    deps.approvals.claimNotice(input.customer_id, approval, reminderNotice(round, a.approver_id));
  const claimed = await Promise.all(approvers.map(claim));
  const due = approvers.filter((_, i) => claimed[i]);
  if (due.length === 0) return 0;
  const rec = await recommendationOf(input.customer_id, input.recommendation_id, deps);
  const sent = new Set<string>();
  const notifier: Notifier = {
    publish: async (message) => {
      await deps.notifier.publish(message);
      sent.add(message.attributes.approver_id);
    },
    subscribeApprover: (email) => deps.notifier.subscribeApprover(email),
  };
  try {
    await notifyApprovers(rec, approval, due, 'approval_reminder', { ...deps, notifier });
  } catch (error) {
    const unsent = due.filter((a) => !sent.has(a.approver_id));
    await Promise.all(
      unsent.map((a) =>
        deps.approvals.releaseNotice(input.customer_id, approval.id, reminderNotice(round, a.approver_id)),
      ),
    );
    throw error;
  }
  return due.length;
}
