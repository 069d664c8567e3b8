// The pages an approver sees from an emailed link. Everything shown is escaped; the Content-
// Security-Policy allows nothing but our own inline style (by hash) and posting the form back.
import { type DependencyState, describeDependencies, riskText } from '../core/messages/approval-facts.js';
import type { Approval, Recommendation } from '../core/model/records.js';
import { escapeHtml, styleSource } from './html.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1c1c1c}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}
.risk-critical,.risk-high{color:#a40000}.status{padding:.6rem 1rem;border-radius:.4rem;background:#f1f1f1}
textarea{width:100%;min-height:4rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.6rem}
.approve{background:#0b6e2e;color:#fff;border:0}.reject{background:#a40000;color:#fff;border:0}.note{color:#555;font-size:.9rem}`;

export const REVIEW_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${styleSource(STYLE)}`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Arbiter</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface SignedFields {
  approver: string;
  expires: number;
  sig: string;
}

/** What the page says instead of the form once there is nothing to decide. */
function closedNotice(rec: Recommendation, approval: Approval): string {
  // Withdrawn by Arbiter: superseded, a dependency that will not complete, the recommendation expired.
  if (approval.status === 'cancelled')
    return `This approval was withdrawn, so there is nothing to decide: ${rec.status_reason || `the recommendation is ${rec.status}`}.`;
  return `This approval is ${approval.status}; there is nothing left to decide.`;
}

export function reviewPage(
  rec: Recommendation,
  approval: Approval,
  link: SignedFields,
  approverEmail: string,
  dependencies: readonly DependencyState[] = [],
): string {
  const approvedBy = approval.votes.filter((v) => v.decision === 'approve').map((v) => v.approver);
  const details: [string, string][] = [
    ['Recommendation', `${rec.title} (${rec.id})`],
    ['Requested by', rec.agent_id],
    ['Action', rec.action],
    ['Resources', rec.affected_resources.join(', ') || '(none named)'],
    ['Risk', riskText(rec)],
    ['Depends on', describeDependencies(dependencies)],
    ['Estimated savings', rec.estimated_savings.toFixed(2)],
    ['Estimated impact', rec.estimated_impact || '—'],
    ['Description', rec.description || '—'],
    [
      'Approvals',
      `${approvedBy.length} of ${approval.approvals_required}${approvedBy.length ? ` (${approvedBy.join(', ')})` : ''}`,
    ],
    ['Decide before', approval.expires_at],
  ];
  const riskClass = `risk-${rec.effective_risk ?? rec.risk_level}`;
  const list = details
    .map(
      ([k, v]) =>
        `<dt>${escapeHtml(k)}</dt><dd${k === 'Risk' ? ` class="${escapeHtml(riskClass)}"` : ''}>${escapeHtml(v)}</dd>`,
    )
    .join('');
  const authorship = `<p class="note">The title, description and estimated impact are the words of the agent ${escapeHtml(rec.agent_id)}, not Arbiter's. Decide only with the buttons on this page.</p>`;
  const form =
    approval.status === 'pending'
      ? `<form method="post" action="decision">
<input type="hidden" name="approver" value="${escapeHtml(link.approver)}"><input type="hidden" name="expires" value="${escapeHtml(link.expires)}"><input type="hidden" name="sig" value="${escapeHtml(link.sig)}">
<p><label for="reason">Reason (required to reject)</label><textarea id="reason" name="reason" maxlength="1000"></textarea></p>
<p><button class="approve" type="submit" name="decision" value="approve">Approve</button><button class="reject" type="submit" name="decision" value="reject">Reject</button></p></form>`
      : `<p class="status">${escapeHtml(closedNotice(rec, approval))}</p>`;
  return page(
    `Review: ${rec.title}`,
    `<h1>Review: ${escapeHtml(rec.title)}</h1><p>Signed in by link as <strong>${escapeHtml(approverEmail)}</strong>.</p><dl>${list}</dl>${authorship}${form}`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="status">${escapeHtml(message)}</p>`);
}
