// The approval request email: Arbiter's words and review link first, the agent's text quoted after.

import type { Recommendation, StoredApproval } from '../model/records.js';
import type { ApproverRecord } from '../ports/index.js';
import { APPROVER_ATTRIBUTE, type Notification } from '../ports/notifier.js';
import { type ApprovalBrief, votesSoFar } from './approval-brief.js';
import { describeDependencies } from './approval-facts.js';
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

/** What the plan will do, one step a line (the agent chose the actions and agents of explicit steps). */
function planLines(steps: ApprovalBrief['steps']): string[] {
  const graph = steps.some((s) => s.after);
  return [
    `What will happen (${steps.length} step${steps.length === 1 ? '' : 's'}${graph ? '' : ', in this order'}):`,
    ...steps.map(
      (s) =>
        `  ${s.number}. ${inline(s.action)} by ${inline(s.agent_id)}: ${s.critical ? 'critical' : 'not critical'}, ${s.reversible ? 'reversible' : 'not reversible'}${s.after?.length ? ` (after step ${s.after.join(', ')})` : ''}`,
    ),
    'If a critical step fails, the completed reversible steps are undone in reverse order.',
  ];
}

function wonLines(won: ApprovalBrief['won']): string[] {
  if (won.length === 0) return ['Conflicts it won: none'];
  return [
    `Conflicts it won (${won.length}):`,
    ...won.map(
      (w) =>
        `  - ${w.types.join(' and ')} conflict with ${inline(w.rival.id)} (${inline(w.rival.title)}), which was ${w.outcome}: ${inline(w.descriptions.join('; '))}`,
    ),
  ];
}

export type ApprovalMessageKind = 'approval_request' | 'approval_reminder';

/**
 * Arbiter's own words and its review link come first; everything the agent wrote follows as a
 * labelled quote with its links disabled, so a description that says "Review and decide: <link>"
 * can neither stand above the real link nor look like it. A reminder is the same message, said again
 * with the votes and the time left as they are now, and a link signed afresh.
 */
export function approvalMessage(
  rec: Recommendation,
  approval: StoredApproval,
  approver: ApproverRecord,
  link: string,
  brief: ApprovalBrief,
  kind: ApprovalMessageKind = 'approval_request',
): Notification {
  const risk = rec.effective_risk ?? rec.risk_level;
  const needed =
    approval.approvals_required > 1
      ? `${approval.approvals_required} different approvers must approve`
      : 'one approval is needed';
  const reminder = kind === 'approval_reminder';
  const text = [
    // The approver's own name or address, as the admin registered it: not agent text.
    `Hello ${visibleText(approver.name ?? approver.email).replace(/\n+/g, ' ')},`,
    '',
    reminder
      ? `Reminder: recommendation ${inline(rec.id)} for customer ${inline(rec.customer_id)} still waits for your decision: ${needed}.`
      : `Arbiter asks for your decision on recommendation ${inline(rec.id)} for customer ${inline(rec.customer_id)}: ${needed}.`,
    '',
    'Review and decide here (the only link in this email; it opens Arbiter):',
    link,
    '',
    `Time left: ${brief.timeLeft} (before ${approval.expires_at})`,
    // Approvers' addresses, as the admin registered them: not agent text.
    `Votes: ${visibleText(votesSoFar(brief)).replace(/\n+/g, ' ')}`,
    `Action: ${inline(rec.action)}`,
    `Risk: ${inline(brief.risk)}`,
    `Why approval: ${inline(brief.why)}`,
    `Resources: ${resourceList(rec.affected_resources)}`,
    `Estimated savings: ${rec.estimated_savings.toFixed(2)}`,
    `Requested by the agent: ${inline(rec.agent_id)}`,
    `Depends on: ${inline(describeDependencies(brief.dependencies))}`,
    '',
    ...planLines(brief.steps),
    '',
    ...wonLines(brief.won),
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
    subject: emailSubject(
      `${reminder ? 'Reminder: approval' : 'Approval'} needed (${risk} risk): ${defang(rec.title)}`,
    ),
    text: text.join('\n'),
    attributes: {
      [APPROVER_ATTRIBUTE]: approver.email,
      approver_id: approver.approver_id,
      kind,
      approval_id: approval.id,
      customer_id: rec.customer_id,
    },
  };
}
