// The "Request approval" task: keep the workflow's token with the approval, then tell each
// approver, with a review link signed for them. If the approval was decided (or cancelled)
// before the token arrived, the workflow is signalled right away instead.

import { approvalMessage } from '../messages/approval-email.js';
import { dependencyStates } from '../messages/approval-facts.js';
import { NotFound } from '../model/errors.js';
import type { Clock } from '../ports/clock.js';
import type { ApprovalStore, ApproverStore, RecommendationStore } from '../ports/index.js';
import type { Notifier } from '../ports/notifier.js';
import type { Workflow } from '../ports/workflow.js';
import { reviewUrl } from '../protocol/review-links.js';
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
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (!rec) throw new NotFound(`recommendation ${input.recommendation_id} not found`);
  if (approval.notified_at) return { notified: 0 };
  const approvers = await deps.approvers.listApprovers(input.customer_id);
  const secret = await deps.linkSecret();
  const dependencies = await dependencyStates(deps.recommendations, rec);
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
    await deps.notifier.publish(approvalMessage(rec, approval, approver, link, dependencies));
  }
  // Marked after sending: a retried task may email twice, but never forgets to.
  await deps.approvals.markNotified(input.customer_id, input.approval_id, deps.clock.now().toISOString());
  return { notified: approvers.length };
}
