// Escalation (issue 9 §9): an approval that expires unanswered alerts the operators, naming the
// approval, the recommendation and the approvers who did not answer. The "Remind approvers" task
// sends it when its timer finds the approval past its expiry and still pending, just before the
// workflow records the expiry: the one way the workflow reaches "Record expiry" once the wait on the
// approval times out into that task. Sent once, recorded after it is sent: a retried task that finds
// the record sends nothing more. Doubled rather than lost: only a crash between the publish and its
// record sends it twice, and this alert is the one word the operators get of an approval nobody answered.

import { plainAgentText } from '../messages/message-safety.js';
import type { StoredApproval } from '../model/records.js';
import type { ApprovalStore, ApproverRecord, ApproverStore, RecommendationStore } from '../ports/index.js';
import type { Notification, Notifier } from '../ports/notifier.js';

/** The record of the expiry's escalation (ApprovalStore.claimNotice). */
export const ESCALATION_NOTICE = 'expiry-escalated';

export interface EscalationDeps {
  approvals: Pick<ApprovalStore, 'claimNotice' | 'noticeSent'>;
  approvers: Pick<ApproverStore, 'listApprovers'>;
  recommendations: Pick<RecommendationStore, 'getRecommendations'>;
  notifier: Notifier;
}

/**
 * Alerts the operators about an approval that expired while still pending; false (no alert) for any
 * other, or when an earlier attempt already alerted.
 */
export async function alertUnansweredExpiry(approval: StoredApproval, deps: EscalationDeps): Promise<boolean> {
  if (approval.status !== 'pending') return false;
  const c = approval.customer_id;
  if (await deps.approvals.noticeSent(c, approval.id, ESCALATION_NOTICE)) return false;
  const [rec] = await deps.recommendations.getRecommendations(c, [approval.recommendation_id]);
  const approvers = await deps.approvers.listApprovers(c);
  await deps.notifier.publish(expiryAlert(approval, rec?.title, approvers));
  await deps.approvals.claimNotice(c, approval, ESCALATION_NOTICE);
  return true;
}

/** The approvers who have not voted on the approval. */
export function notVoted<A extends { approver_id: string }>(approval: StoredApproval, approvers: readonly A[]): A[] {
  const voted = new Set(approval.votes.map((v) => v.approver_id));
  return approvers.filter((a) => !voted.has(a.approver_id));
}

/** The operator alert: who was asked, who answered, who did not. No approver attribute: approvers never see it. */
export function expiryAlert(
  approval: StoredApproval,
  title: string | undefined,
  approvers: readonly ApproverRecord[],
): Notification {
  const silent = notVoted(approval, approvers).map((a) => a.email);
  const approvedBy = approval.votes.filter((v) => v.decision === 'approve').map((v) => v.approver);
  const rec = approval.recommendation_id;
  return {
    subject: `Arbiter: approval ${approval.id} for ${rec} expired unanswered (${approval.customer_id})`,
    text: [
      `Approval ${approval.id} of recommendation ${rec}${title ? ` (${plainAgentText(title).replace(/\s+/g, ' ')})` : ''}, customer ${approval.customer_id}, expired at ${approval.expires_at} without a decision.`,
      `Risk: ${approval.risk_level}; ${approvedBy.length} of ${approval.approvals_required} approvals${approvedBy.length ? ` (${approvedBy.join(', ')})` : ''}.`,
      `Did not answer: ${silent.length ? silent.join(', ') : 'nobody (no approver was registered who had not voted)'}.`,
      '',
      'The recommendation is now expired and will not run. The agent may submit it again.',
    ].join('\n'),
    attributes: {
      kind: 'operator_alert',
      outcome: 'approval_expired',
      customer_id: approval.customer_id,
      recommendation_id: rec,
      approval_id: approval.id,
    },
  };
}
