// HTML for the local stack's pages (the outbox, the console). Their text comes from agents and
// approvers (titles, reasons, emails), so everything is escaped, and the policy allows the page's
// one style block and nothing else: markup that slipped through could still neither run nor load.
import { escapeHtml, styleSource } from '../functions/adapters/html.js';

export { escapeHtml };

/** Terms are text; values are markup, escaped by the caller (they may hold links). */
export function definitionList(entries: readonly (readonly [string, string])[]): string {
  return `<dl>${entries.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

/** The headers of a page whose only resource is `style`, inline. */
export function pageHeaders(style: string): Readonly<Record<string, string>> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src ${styleSource(style)}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    // The outbox's links carry signed approval parameters: no Referer to wherever a link leads.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}

export interface HtmlDocument {
  /** Text, escaped here. */
  title: string;
  /** The style block the headers of pageHeaders(style) allow. */
  style: string;
  /** Markup, already escaped by the caller. */
  body: string;
  /** Reloads the page every so many seconds: a live view without script, which the policy forbids. */
  refreshSeconds?: number;
}

export function htmlDocument({ title, style, body, refreshSeconds }: HtmlDocument): string {
  const refresh = refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${refreshSeconds}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>
${body}
</body></html>`;
}
