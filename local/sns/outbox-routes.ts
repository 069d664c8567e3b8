// GET /local/outbox: the published messages as JSON, or as a page for a browser (Accept: text/html,
// or /local/outbox.html). `?approver=` keeps what that approver's subscription would receive.
import { APPROVER_ATTRIBUTE } from '../../functions/core/ports/notifier.js';
import type { LocalRequest, LocalResponse, LocalRoute } from '../gateway.js';
import type { Outbox } from './outbox.js';
import { OUTBOX_PAGE_HEADERS, outboxPage } from './outbox-page.js';

export const OUTBOX_PATH = '/local/outbox';

export function outboxRoutes(outbox: Outbox): LocalRoute[] {
  function reply(request: LocalRequest, asPage: boolean): LocalResponse {
    const approver = request.query.get('approver');
    // The same filter policy the approver's email subscription carries.
    const messages = outbox.messages(approver === null ? null : { [APPROVER_ATTRIBUTE]: [approver] });
    if (asPage)
      return {
        statusCode: 200,
        headers: { ...OUTBOX_PAGE_HEADERS },
        body: outboxPage(messages, outbox.subscriptions(), approver),
      };
    return {
      statusCode: 200,
      headers: { 'cache-control': 'no-store', vary: 'accept' },
      body: JSON.stringify(messages),
    };
  }
  return [
    {
      method: 'GET',
      path: OUTBOX_PATH,
      serve: (request) => reply(request, /\btext\/html\b/.test(request.headers.accept ?? '')),
    },
    { method: 'GET', path: `${OUTBOX_PATH}.html`, serve: (request) => reply(request, true) },
  ];
}
