// The "Request approval" task: keep the workflow's token with the approval, then tell each
// approver, with a review link signed for them. If the approval was decided (or cancelled)
// before the token arrived, the workflow is signalled right away instead.
import { signalWorkflow } from './approval-gate.js';
import { NotFound } from './errors.js';
import { reviewUrl } from './links.js';
import type { Recommendation } from './model.js';
import { APPROVER_ATTRIBUTE, type Notification, type Notifier } from './notifications.js';
import type { ApprovalStore, ApproverRecord, ApproverStore, Clock, RecommendationStore, StoredApproval } from './ports.js';
import type { Workflow } from './workflow.js';

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

export async function requestApproval(input: ApprovalRequestInput, deps: ApprovalRequestDeps): Promise<{ notified: number }> {
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
  for (const approver of approvers) {
    await deps.notifier.publish(approvalMessage(rec, approval, approver, reviewUrl(deps.publicUrl, { approvalId: approval.id, approverId: approver.approver_id, expires: Math.floor(Date.parse(approval.expires_at) / 1000) }, secret)));
  }
  // Marked after sending: a retried task may email twice, but never forgets to.
  await deps.approvals.markNotified(input.customer_id, input.approval_id, deps.clock.now().toISOString());
  return { notified: approvers.length };
}

export function approvalMessage(rec: Recommendation, approval: StoredApproval, approver: ApproverRecord, link: string): Notification {
  const needed = approval.approvals_required > 1 ? `${approval.approvals_required} different approvers must approve` : 'one approval is needed';
  const text = [
    `Hello ${approver.name ?? approver.email},`,
    '',
    `${rec.agent_id} asks to ${rec.action.replaceAll('_', ' ')} for customer ${rec.customer_id}: ${needed}.`,
    '',
    `Recommendation: ${rec.title} (${rec.id})`,
    rec.description ? `Description: ${rec.description}` : undefined,
    `Action: ${rec.action}`,
    `Resources: ${rec.affected_resources.join(', ') || '(none named)'}`,
    `Risk: ${rec.risk_level}`,
    `Estimated savings: ${rec.estimated_savings.toFixed(2)}`,
    rec.estimated_impact ? `Estimated impact: ${rec.estimated_impact}` : undefined,
    `Decide before: ${approval.expires_at}`,
    '',
    `Review and decide: ${link}`,
    '',
    'Opening the link changes nothing; the decision is a button on that page. Anyone rejecting vetoes the change.',
  ].filter((line) => line !== undefined);
  return {
    subject: `Approval needed (${rec.risk_level} risk): ${rec.title}`,
    text: text.join('\n'),
    attributes: { [APPROVER_ATTRIBUTE]: approver.email, approver_id: approver.approver_id, kind: 'approval_request', approval_id: approval.id, customer_id: rec.customer_id },
  };
}

