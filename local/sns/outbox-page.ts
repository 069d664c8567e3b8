// The outbox as a page for a person: each message as its recipient would read it, with its links
// clickable. Everything shown is escaped; the policy allows this page's one style block and nothing else.
import { definitionList, escapeHtml, htmlDocument, pageHeaders } from '../html.js';
import type { OutboxMessage, Subscription } from './outbox.js';

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
article{border:1px solid #ccc;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;border-radius:4px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{color:#666}
.empty{color:#666}`;

export const OUTBOX_PAGE_HEADERS = pageHeaders(STYLE);

function messageArticle(message: OutboxMessage): string {
  const links = message.links
    .map((url) => `<li><a class="link" href="${escapeHtml(url)}" rel="noreferrer">${escapeHtml(url)}</a></li>`)
    .join('');
  return `<article id="message-${escapeHtml(message.id)}">
<h2>${escapeHtml(message.subject ?? '(no subject)')}</h2>
${definitionList([['published', message.published_at], ...Object.entries(message.attributes)].map(([term, value]) => [term, escapeHtml(value)] as const))}
<pre>${escapeHtml(message.message)}</pre>
${links ? `<ul>${links}</ul>` : ''}
</article>`;
}

export function outboxPage(
  messages: readonly OutboxMessage[],
  subscriptions: readonly Subscription[],
  approver: string | null,
): string {
  const heading = approver === null ? 'Outbox' : `Outbox: what ${approver} receives`;
  const subscribed = subscriptions
    .map(
      (s) =>
        `<li>${escapeHtml(`${s.protocol} ${s.endpoint}`)} <code>${escapeHtml(JSON.stringify(s.filter_policy))}</code></li>`,
    )
    .join('');
  const body = `<h1>${escapeHtml(heading)}</h1>
<form method="get"><label>Approver <input name="approver" value="${escapeHtml(approver ?? '')}"></label> <button>Filter</button></form>
${messages.length > 0 ? [...messages].reverse().map(messageArticle).join('\n') : '<p class="empty">No messages yet.</p>'}
<h2>Subscriptions</h2>
${subscribed ? `<ul>${subscribed}</ul>` : '<p class="empty">None.</p>'}`;
  return htmlDocument({ title: heading, style: STYLE, body });
}
