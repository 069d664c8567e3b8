// Recommendations as the operator follows them: the list (newest first), the approvals still
// waiting for votes, and one recommendation with its history, conflicts, approval and plan.
import type { Approval, ExecutionPlan, Recommendation } from '../../functions/core/model/records.js';
import type { RecommendationView } from '../../functions/core/use-cases/view-recommendation.js';
import { definitionList, escapeHtml } from '../html.js';
import {
  consolePage,
  executionHref,
  json,
  link,
  recommendationHref,
  section,
  status,
  table,
  text,
  time,
} from './layout.js';
import { timeLeftInWords } from './time-left.js';

function recommendationLink(customerId: string, id: string): string {
  return link(recommendationHref(customerId, id), id);
}

function customerFilter(customerId: string | undefined): string {
  return `<form method="get"><label>Customer <input name="customer_id" value="${escapeHtml(customerId ?? '')}"></label> <button>Filter</button></form>`;
}

export function recommendationsSection(
  recommendations: readonly Recommendation[],
  customerId: string | undefined,
  hidden: number,
): string {
  const rows = recommendations.map((r) => [
    time(r.created_at),
    text(r.customer_id),
    recommendationLink(r.customer_id, r.id),
    text(r.title),
    text(r.action),
    text(r.risk_level),
    status(r.status),
    text(r.status_reason),
  ]);
  const more =
    hidden > 0
      ? `<p class="empty">${hidden} older not shown${customerId ? '' : '; filter by customer to see them'}.</p>`
      : '';
  const heading = customerId ? `Recommendations of ${customerId}` : 'Recommendations';
  return section(
    'recommendations',
    heading,
    `${customerFilter(customerId)}\n${table(['Created', 'Customer', 'Id', 'Title', 'Action', 'Risk', 'Status', 'Reason'], rows, 'No recommendations.')}${more}`,
  );
}

function votes(approval: Approval): string {
  return `${approval.votes.filter((v) => v.decision === 'approve').length} of ${approval.approvals_required}`;
}

export function pendingApprovalsSection(approvals: readonly Approval[], now: Date): string {
  // What to act on first, so a phone shows it without scrolling sideways: which one, how long it has, its votes.
  const rows = approvals.map((a) => [
    text(a.customer_id),
    recommendationLink(a.customer_id, a.recommendation_id),
    text(timeLeftInWords(a.expires_at, now)),
    text(votes(a)),
    text(a.risk_level),
    text(a.id),
    time(a.requested_at),
    time(a.expires_at),
  ]);
  return section(
    'pending-approvals',
    'Pending approvals',
    table(
      ['Customer', 'Recommendation', 'Time left', 'Approvals', 'Risk', 'Approval', 'Requested', 'Expires'],
      rows,
      'None waiting.',
    ),
  );
}

function historySection(recommendation: Recommendation): string {
  const rows = recommendation.history.map((h) => [time(h.at), status(h.status), text(h.reason), text(h.by)]);
  return section('history', 'History', table(['At', 'Status', 'Reason', 'By'], rows, 'No history.'));
}

function conflictsSection(recommendation: Recommendation): string {
  const rows = recommendation.conflicts.map((c) => [
    text(c.type),
    text(c.severity),
    c.recommendation_ids.map((id) => recommendationLink(recommendation.customer_id, id)).join(', '),
    text(c.description),
    text(c.resolution),
  ]);
  return section(
    'conflicts',
    'Conflicts',
    table(['Type', 'Severity', 'Recommendations', 'Description', 'Resolution'], rows, 'No conflicts.'),
  );
}

function approvalSection(approval: Approval | null): string {
  if (!approval) return section('approval', 'Approval', '<p class="empty">None needed.</p>');
  const summary = definitionList([
    ['Status', status(approval.status)],
    ['Approvals', text(votes(approval))],
    ['Requested', `${time(approval.requested_at)} by ${text(approval.requested_by)}`],
    ['Expires', time(approval.expires_at)],
    ['Rejection reason', text(approval.rejection_reason)],
  ]);
  const rows = approval.votes.map((v) => [
    time(v.at),
    text(v.approver),
    status(v.decision),
    text(v.via),
    text(v.reason),
  ]);
  return section(
    'approval',
    'Approval',
    `${summary}\n${table(['At', 'Approver', 'Decision', 'Via', 'Reason'], rows, 'No votes yet.')}`,
  );
}

function planSection(plan: ExecutionPlan | null): string {
  if (!plan) return section('plan', 'Plan', '<p class="empty">No plan.</p>');
  const summary = definitionList([
    ['Status', status(plan.status)],
    ['Started', time(plan.started_at)],
    ['Completed', time(plan.completed_at)],
    ['Duration (ms)', text(plan.total_duration_ms)],
  ]);
  const rows = plan.steps.map((s) => [
    text(s.index + 1),
    text(s.action),
    text(s.agent_id),
    status(s.status),
    text(s.duration_ms),
    json(s.result),
    text(s.error),
  ]);
  return section(
    'plan',
    `Plan ${plan.id}`,
    `${summary}\n${table(['#', 'Action', 'Agent', 'Status', 'Duration (ms)', 'Result', 'Error'], rows, 'No steps.')}`,
  );
}

/** `executionName`: its workflow's execution, when the local Step Functions has one. */
export function recommendationPage(r: RecommendationView, executionName: string | undefined): string {
  const summary = definitionList([
    ['Customer', text(r.customer_id)],
    ['Id', text(r.id)],
    ['Status', status(r.status)],
    ['Reason', text(r.status_reason)],
    ['Agent', text(`${r.agent_id} (${r.agent_type})`)],
    ['Action', text(r.action)],
    ['Risk', text(r.risk_level)],
    ['Resources', text(r.affected_resources.join(', '))],
    ['Kept instead', r.resolved_by ? recommendationLink(r.customer_id, r.resolved_by) : text(undefined)],
    ['Created', time(r.created_at)],
    ['Updated', time(r.updated_at)],
    ['Execution', executionName ? link(executionHref(executionName), executionName) : text(undefined)],
  ]);
  const description = r.description ? `<p>${escapeHtml(r.description)}</p>` : '';
  return consolePage(
    r.title,
    [
      summary,
      description,
      historySection(r),
      conflictsSection(r),
      approvalSection(r.approval),
      planSection(r.plan),
    ].join('\n'),
  );
}
