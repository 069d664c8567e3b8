// The "Request approval" task: keep the workflow's token with the approval, then tell each
// approver, with a review link signed for them. If the approval was decided (or cancelled)
// before the token arrived, the workflow is signalled right away instead.

import { approvalBrief } from '../messages/approval-brief.js';
import { type ApprovalMessageKind, approvalMessage } from '../messages/approval-email.js';
import type { Recommendation, StoredApproval } from '../model/records.js';
import type { Clock } from '../ports/clock.js';
import type { ApprovalStore, ApproverRecord, ApproverStore, RecommendationStore } from '../ports/index.js';
import type { Notifier } from '../ports/notifier.js';
import type { Workflow } from '../ports/workflow.js';
import { reviewUrl } from '../protocol/review-links.js';
import { recommendationOf } from './recommendation-of.js';
import { signalWorkflow } from './signal-decision.js';

export interface ApprovalRequestDeps {
  approvals: ApprovalStore;
  approvers: ApproverStore;
  recommendations: RecommendationStore;
  notifier: Notifier;
  workflow: Workflow;
  clock: Clock;
  linkSecret: () => Promise<string>;
  publicUrl: string;
}

export interface ApprovalRequestInput {
  customer_id: string;
  recommendation_id: string;
  approval_id: string;
  task_token: string;
}

export async function requestApproval(
  input: ApprovalRequestInput,
  deps: ApprovalRequestDeps,
): Promise<{ notified: number }> {
  const approval = await deps.approvals.storeTaskToken(input.customer_id, input.approval_id, input.task_token);
  if (approval.status !== 'pending') {
    await signalWorkflow(input.customer_id, input.approval_id, deps);
    return { notified: 0 };
  }
  const rec = await recommendationOf(input.customer_id, input.recommendation_id, deps);
  // Waiting again after a reminder (or a retried task): everyone was told already.
  if (approval.notified_at) return { notified: 0 };
  const approvers = await deps.approvers.listApprovers(input.customer_id);
  await notifyApprovers(rec, approval, approvers, 'approval_request', deps);
  // Marked after sending: a retried task may email twice, but never forgets to.
  await deps.approvals.markNotified(input.customer_id, input.approval_id, deps.clock.now().toISOString());
  return { notified: approvers.length };
}

/**
 * One message per approver through the per-approver SNS path, each with a review link signed for
 * that approver until the approval expires: the request, and each reminder with a fresh signature.
 */
export async function notifyApprovers(
  rec: Recommendation,
  approval: StoredApproval,
  approvers: readonly ApproverRecord[],
  kind: ApprovalMessageKind,
  deps: Pick<ApprovalRequestDeps, 'recommendations' | 'notifier' | 'clock' | 'linkSecret' | 'publicUrl'>,
): Promise<void> {
  if (approvers.length === 0) return;
  const secret = await deps.linkSecret();
  const brief = await approvalBrief(rec, approval, deps.recommendations, deps.clock.now());
  for (const approver of approvers) {
    const link = reviewUrl(
      deps.publicUrl,
      {
        approvalId: approval.id,
        approverId: approver.approver_id,
        expires: Math.floor(Date.parse(approval.expires_at) / 1000),
      },
      secret,
    );
    await deps.notifier.publish(approvalMessage(rec, approval, approver, link, brief, kind));
  }
}
