// The console's frame and building blocks: one style, tables, links between its pages, and the
// status badges. Cells are markup: callers escape text with `text()` or build it from these helpers.
import { AGENTS_PATH } from '../agents/routes.js';
import { escapeHtml, htmlDocument, pageHeaders } from '../html.js';
import { OUTBOX_PATH } from '../sns/outbox-routes.js';

export const CONSOLE_PATH = '/local/console';

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 1rem;color:#222}
nav a{margin-right:1rem;display:inline-block}
.scroll{overflow-x:auto;margin:.5rem 0 1.5rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{color:#555;font-weight:600}
code,pre{font-size:12px}pre{white-space:pre-wrap;margin:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{color:#666}
.status{font-weight:600}.ok{color:#1a7f37}.bad{color:#b42318}.busy{color:#9a6700}.neutral{color:#57606a}
.empty{color:#666}.home{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:0 2rem}
summary{cursor:pointer}
@media (max-width:40rem){body{margin:.75rem auto;padding:0 .5rem}th,td{padding:.25rem .35rem}}`;

export const CONSOLE_HEADERS = pageHeaders(STYLE);

/** List pages reload themselves this often, so a running workflow can be watched without script. */
const REFRESH_SECONDS = 5;

export function text(value: string | number | undefined | null): string {
  return value === undefined || value === null || value === ''
    ? '<span class="empty">–</span>'
    : escapeHtml(String(value));
}

export function time(value: Date | string | undefined): string {
  return text(value instanceof Date ? value.toISOString() : value);
}

/** JSON an agent reported (a step's result), shown as it is. */
export function json(value: unknown): string {
  return value === undefined ? text(undefined) : `<pre>${escapeHtml(JSON.stringify(value, null, 1))}</pre>`;
}

export function link(href: string, label: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
}

export function recommendationHref(customerId: string, id: string): string {
  return `${CONSOLE_PATH}/recommendations/${encodeURIComponent(customerId)}/${encodeURIComponent(id)}`;
}

export function executionHref(name: string): string {
  return `${CONSOLE_PATH}/executions/${encodeURIComponent(name)}`;
}

const GOOD = /^(succeeded|completed|approved)$/i;
const BAD = /^(failed|timed_out|aborted|rejected|expired|rolled_back|rollback_failed)$/i;
const BUSY = /^(running|pending|pending_approval|waiting_dependencies|waiting_resources|executing)$/i;
/** Ended without running, and without anything going wrong: not green, not alarming either. */
const NEUTRAL = /^(cancelled|discarded|superseded)$/i;

function toneOf(value: string): string {
  if (GOOD.test(value)) return ' ok';
  if (BAD.test(value)) return ' bad';
  if (BUSY.test(value)) return ' busy';
  return NEUTRAL.test(value) ? ' neutral' : '';
}

/** A status, coloured by whether it ended well, badly, or is still on its way; `title` says more on hover. */
export function status(value: string, title?: string): string {
  const hover = title ? ` title="${escapeHtml(title)}"` : '';
  return `<span class="status${toneOf(value)}"${hover}>${escapeHtml(value)}</span>`;
}

export function table(headings: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  // Wide tables scroll sideways on a phone instead of widening the page.
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A titled part of a page; its id lets a reader (or a test) tell its table from the others. */
export function section(id: string, heading: string, body: string): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${escapeHtml(heading)}</h2>\n${body}\n</section>`;
}

export function consolePage(title: string, body: string, options: { refresh?: boolean } = {}): string {
  const nav = `<nav>${link(CONSOLE_PATH, 'Console')}${link(`${OUTBOX_PATH}.html`, 'Outbox')}${link(AGENTS_PATH, 'Agent requests (JSON)')}</nav>`;
  return htmlDocument({
    title: `${title} · Arbiter console`,
    style: STYLE,
    body: `${nav}\n<h1>${escapeHtml(title)}</h1>\n${body}`,
    refreshSeconds: options.refresh ? REFRESH_SECONDS : undefined,
  });
}
