// The last operator alerts, as the local SNS topic received them: what an operator subscribed to
// `kind = operator_alert` would have been emailed (approvers' subscriptions never see these).
import { escapeHtml } from '../html.js';
import type { Outbox, OutboxMessage } from '../sns/index.js';
import { link, recommendationHref, section, status, table, text, time } from './layout.js';

/** The filter policy an operator's subscription carries (functions/core/use-cases/record-outcome.ts). */
const OPERATOR_ALERTS = { kind: ['operator_alert'] };

/** The home lists this many, newest first; the outbox page has them all. */
export const ALERTS_LISTED = 10;

function recommendationCell({ attributes }: OutboxMessage): string {
  const { customer_id: customer, recommendation_id: id } = attributes;
  return customer && id ? link(recommendationHref(customer, id), `${customer} / ${id}`) : text(undefined);
}

/** Without an outbox (a console started on its own) the section says so rather than "none". */
export function operatorAlertsSection(outbox: Outbox | undefined, customerId: string | undefined): string {
  if (!outbox)
    return section('operator-alerts', 'Operator alerts', '<p class="empty">No outbox connected to this console.</p>');
  const alerts = outbox
    .messages(OPERATOR_ALERTS)
    .filter((m) => !customerId || m.attributes.customer_id === customerId)
    .slice(-ALERTS_LISTED)
    .reverse();
  // The message opens on a click (no script): the subject alone fits a phone's width.
  const rows = alerts.map((m) => [
    time(m.published_at),
    status(m.attributes.outcome ?? ''),
    `${recommendationCell(m)}<details><summary>${escapeHtml(m.subject ?? '(no subject)')}</summary><pre>${escapeHtml(m.message)}</pre></details>`,
  ]);
  return section(
    'operator-alerts',
    'Last operator alerts',
    table(['Published', 'Outcome', 'Recommendation and alert'], rows, 'No alerts.'),
  );
}
