// The pages an approver sees from an emailed link. Everything shown is escaped; the Content-
// Security-Policy allows nothing but our own inline style (by hash) and posting the form back.
import { type ApprovalBrief, votesSoFar } from '../core/messages/approval-brief.js';
import { describeDependencies } from '../core/messages/approval-facts.js';
import type { Approval, Recommendation } from '../core/model/records.js';
import { escapeHtml, styleSource } from './html.js';

// One column on a phone: long ids and resource names wrap anywhere rather than scroll sideways.
const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1c1c1c;overflow-wrap:anywhere}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
dt{font-weight:600}dd{margin:0;min-width:0}@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}
ol,ul{padding-left:1.4rem}li{margin:.3rem 0}.tag{display:inline-block;font-size:.8rem;padding:0 .4rem;margin-left:.3rem;border-radius:.3rem;background:#eee}
.tag.critical{background:#fde2e2;color:#a40000}.deadline{font-weight:600}
.risk-critical,.risk-high{color:#a40000}.status{padding:.6rem 1rem;border-radius:.4rem;background:#f1f1f1}
textarea{width:100%;min-height:4rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.6rem}
.approve{background:#0b6e2e;color:#fff;border:0}.reject{background:#a40000;color:#fff;border:0}.note,.hint{color:#555;font-size:.9rem}`;

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

/** The plan's steps as an ordered list: action, agent, whether critical and reversible. */
function stepList(steps: ApprovalBrief['steps']): string {
  const items = steps.map((s) => {
    const tags = [
      s.critical ? '<span class="tag critical">critical</span>' : '<span class="tag">not critical</span>',
      `<span class="tag">${s.reversible ? 'reversible' : 'not reversible'}</span>`,
      s.after?.length ? `<span class="tag">after step ${escapeHtml(s.after.join(', '))}</span>` : '',
    ].join('');
    return `<li><strong>${escapeHtml(s.action)}</strong> by ${escapeHtml(s.agent_id)}${tags}</li>`;
  });
  return `<h2>What will happen</h2><ol class="steps">${items.join('')}</ol><p class="hint">If a critical step fails, the completed reversible steps are undone in reverse order.</p>`;
}

/** The conflicts this recommendation won, and what became of each rival. */
function wonList(won: ApprovalBrief['won']): string {
  const items = won.map(
    (w) =>
      `<li>${escapeHtml(w.types.join(' and '))} conflict with <strong>${escapeHtml(w.rival.id)}</strong> (${escapeHtml(w.rival.title)}), which was ${escapeHtml(w.outcome)}: ${escapeHtml(w.descriptions.join('; '))}</li>`,
  );
  return `<h2>Conflicts it won</h2>${items.length ? `<ul class="won">${items.join('')}</ul>` : '<p>None: it displaced no other recommendation.</p>'}`;
}

export function reviewPage(
  rec: Recommendation,
  approval: Approval,
  link: SignedFields,
  approverEmail: string,
  brief: ApprovalBrief,
): string {
  const details: [string, string][] = [
    ['Recommendation', `${rec.title} (${rec.id})`],
    ['Requested by', rec.agent_id],
    ['Action', rec.action],
    ['Resources', rec.affected_resources.join(', ') || '(none named)'],
    ['Risk', brief.risk],
    ['Why approval', brief.why],
    ['Depends on', describeDependencies(brief.dependencies)],
    ['Estimated savings', rec.estimated_savings.toFixed(2)],
    ['Estimated impact', rec.estimated_impact || '—'],
    ['Description', rec.description || '—'],
    ['Votes', votesSoFar(brief)],
    ['Decide before', approval.expires_at],
  ];
  const riskClass = `risk-${rec.effective_risk ?? rec.risk_level}`;
  const list = details
    .map(
      ([k, v]) =>
        `<dt>${escapeHtml(k)}</dt><dd${k === 'Risk' ? ` class="${escapeHtml(riskClass)}"` : ''}>${escapeHtml(v)}</dd>`,
    )
    .join('');
  const deadline =
    approval.status === 'pending'
      ? `<p class="deadline">${escapeHtml(`${brief.timeLeft[0].toUpperCase()}${brief.timeLeft.slice(1)}.`)}</p>`
      : '';
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
    `<h1>Review: ${escapeHtml(rec.title)}</h1><p>Signed in by link as <strong>${escapeHtml(approverEmail)}</strong>.</p>${deadline}<dl>${list}</dl>${stepList(brief.steps)}${wonList(brief.won)}${authorship}${form}`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="status">${escapeHtml(message)}</p>`);
}
