// The "Request approval" task: keep the workflow's token with the approval, then tell each
// approver, with a review link signed for them. If the approval was decided (or cancelled)
// before the token arrived, the workflow is signalled right away instead.
import { signalWorkflow } from './approval-gate.js';
import { NotFound } from './errors.js';
import { dependencyStates, describeDependencies, riskText, type DependencyState } from './approval-facts.js';
import { reviewUrl } from './links.js';
import { defang, emailSubject, plainAgentText, quotedAgentText, visibleText } from './message-safety.js';
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
  const dependencies = await dependencyStates(deps.recommendations, rec);
  for (const approver of approvers) {
    const link = reviewUrl(deps.publicUrl, { approvalId: approval.id, approverId: approver.approver_id, expires: Math.floor(Date.parse(approval.expires_at) / 1000) }, secret);
    await deps.notifier.publish(approvalMessage(rec, approval, approver, link, dependencies));
  }
  // Marked after sending: a retried task may email twice, but never forgets to.
  await deps.approvals.markNotified(input.customer_id, input.approval_id, deps.clock.now().toISOString());
  return { notified: approvers.length };
}

/** At most this many resources are listed in an email (a recommendation may name 1,000); the page lists all. */
const MAX_LISTED_RESOURCES = 20;

/** Agent-chosen values shown on one of Arbiter's own lines: one line, no clickable link. */
const inline = (text: string) => plainAgentText(text).replace(/\n+/g, ' ');

function resourceList(resources: readonly string[]): string {
  if (resources.length === 0) return '(none named)';
  const shown = resources.slice(0, MAX_LISTED_RESOURCES).map(inline).join(', ');
  return resources.length > MAX_LISTED_RESOURCES ? `${shown} and ${resources.length - MAX_LISTED_RESOURCES} more (the review page lists them all)` : shown;
}

/**
 * Arbiter's own words and its review link come first; everything the agent wrote follows as a
 * labelled quote with its links disabled, so a description that says "Review and decide: <link>"
 * can neither stand above the real link nor look like it.
 */
export function approvalMessage(rec: Recommendation, approval: StoredApproval, approver: ApproverRecord, link: string, dependencies: readonly DependencyState[] = []): Notification {
  const risk = rec.effective_risk ?? rec.risk_level;
  const needed = approval.approvals_required > 1 ? `${approval.approvals_required} different approvers must approve` : 'one approval is needed';
  const text = [
    // The approver's own name or address, as the admin registered it: not agent text.
    `Hello ${visibleText(approver.name ?? approver.email).replace(/\n+/g, ' ')},`,
    '',
    `Arbiter asks for your decision on recommendation ${inline(rec.id)} for customer ${inline(rec.customer_id)}: ${needed}.`,
    '',
    'Review and decide here (the only link in this email; it opens Arbiter):',
    link,
    '',
    `Decide before: ${approval.expires_at}`,
    `Action: ${inline(rec.action)}`,
    `Risk: ${inline(riskText(rec))}`,
    `Resources: ${resourceList(rec.affected_resources)}`,
    `Estimated savings: ${rec.estimated_savings.toFixed(2)}`,
    `Requested by the agent: ${inline(rec.agent_id)}`,
    `Depends on: ${inline(describeDependencies(dependencies))}`,
    '',
    quotedAgentText(rec.agent_id, [
      ['Title', rec.title],
      ['Description', rec.description],
      ['Estimated impact', rec.estimated_impact],
    ]),
    '',
    'Opening the link changes nothing; the decision is a button on that page. Anyone rejecting vetoes the change.',
    'Arbiter never asks you to decide anywhere else than at the link above.',
  ];
  return {
    subject: emailSubject(`Approval needed (${risk} risk): ${defang(rec.title)}`),
    text: text.join('\n'),
    attributes: { [APPROVER_ATTRIBUTE]: approver.email, approver_id: approver.approver_id, kind: 'approval_request', approval_id: approval.id, customer_id: rec.customer_id },
  };
}
