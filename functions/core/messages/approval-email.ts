// The approval request email: Arbiter's words and review link first, the agent's text quoted after.

import type { Recommendation, StoredApproval } from '../model/records.js';
import type { ApproverRecord } from '../ports/index.js';
import { APPROVER_ATTRIBUTE, type Notification } from '../ports/notifier.js';
import { type DependencyState, describeDependencies, riskText } from './approval-facts.js';
import { defang, emailSubject, plainAgentText, quotedAgentText, visibleText } from './message-safety.js';

/** At most this many resources are listed in an email (a recommendation may name 1,000); the page lists all. */
const MAX_LISTED_RESOURCES = 20;

/** Agent-chosen values shown on one of Arbiter's own lines: one line, no clickable link. */
const inline = (text: string) => plainAgentText(text).replace(/\n+/g, ' ');

function resourceList(resources: readonly string[]): string {
  if (resources.length === 0) return '(none named)';
  const shown = resources.slice(0, MAX_LISTED_RESOURCES).map(inline).join(', ');
  return resources.length > MAX_LISTED_RESOURCES
    ? `${shown} and ${resources.length - MAX_LISTED_RESOURCES} more (the review page lists them all)`
    : shown;
}

/**
 * Arbiter's own words and its review link come first; everything the agent wrote follows as a
 * labelled quote with its links disabled, so a description that says "Review and decide: <link>"
 * can neither stand above the real link nor look like it.
 */
export function approvalMessage(
  rec: Recommendation,
  approval: StoredApproval,
  approver: ApproverRecord,
  link: string,
  dependencies: readonly DependencyState[] = [],
): Notification {
  const risk = rec.effective_risk ?? rec.risk_level;
  const needed =
    approval.approvals_required > 1
      ? `${approval.approvals_required} different approvers must approve`
      : 'one approval is needed';
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
    attributes: {
      [APPROVER_ATTRIBUTE]: approver.email,
      approver_id: approver.approver_id,
      kind: 'approval_request',
      approval_id: approval.id,
      customer_id: rec.customer_id,
    },
  };
}
