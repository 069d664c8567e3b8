// Reminders and escalation end to end (issue 9 §9) over HTTP on the local stack, with Step Functions'
// own timers: a 60-second approval window (reminders at 50% and 90%, the default). Unanswered, each
// approver gets two reminders and the operators one alert naming who did not answer; the execution
// waits, reminds and waits again, then records the expiry. Answered after the first reminder, the
// wait that follows it receives the decision.
import { describe, expect, it } from 'vitest';
import { arbiterClient } from '../../local/arbiter-client.js';
import type { OutboxMessage } from '../../local/sns/index.js';
import { stackForFile } from '../support/local-stack.js';
import {
  type Customer,
  coordinateRisky,
  newCustomer,
  recommendationWhen,
  workflowEnd,
  workflowPathTo,
} from './approval-setup.js';

const stack = stackForFile();

const WINDOW_SECONDS = 60;

/** A customer whose medium-risk approvals last 60 s and need one of its two approvers. */
async function shortWindowCustomer(): Promise<Customer> {
  const customer = await newCustomer(stack, 2);
  const admin = arbiterClient(stack.url, stack.adminKey);
  const put = await admin.call('PUT', `/admin/customers/${customer.id}/policy`, {
    risk: { medium: { approvals_required: 1, expires_in_seconds: WINDOW_SECONDS } },
  });
  expect(put.status).toBe(200);
  return customer;
}

/** The outbox as GET /local/outbox shows it, filtered as the query says. */
async function outbox(query: string): Promise<OutboxMessage[]> {
  const { body } = await arbiterClient(stack.url).call<OutboxMessage[]>('GET', `/local/outbox${query}`);
  return body;
}

/** Polls the outbox (four times a second) until `pick` finds what is expected. */
async function waitForMessages(
  query: string,
  pick: (messages: OutboxMessage[]) => boolean,
  timeoutMs: number,
): Promise<OutboxMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await outbox(query);
    if (pick(messages)) return messages;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${query}: ${JSON.stringify(messages)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const about = (approvalId: string) => (m: OutboxMessage) => m.attributes.approval_id === approvalId;
const kindsOf = (messages: OutboxMessage[]) => messages.map((m) => m.attributes.kind);

// The two run side by side (own customers, one stack): each mostly waits on Step Functions' timers.
describe.concurrent('reminders and escalation for a 60-second approval window', () => {
  it('reminds both approvers twice, then alerts the operators and records the expiry', async () => {
    const customer = await shortWindowCustomer();
    const approvalId = await coordinateRisky(customer, { id: 'rec-silent', action: 'resize' });
    const started = Date.now();

    const [ann, bo] = customer.approvers;
    const inbox = (email: string) =>
      waitForMessages(
        `?approver=${encodeURIComponent(email)}`,
        (ms) => ms.filter(about(approvalId)).length >= 3,
        (WINDOW_SECONDS + 30) * 1000,
      );
    const annInbox = (await inbox(ann.email)).filter(about(approvalId));
    expect(kindsOf(annInbox)).toEqual(['approval_request', 'approval_reminder', 'approval_reminder']);
    // The first reminder at half the window, not before.
    expect(Date.parse(annInbox[1].published_at) - started).toBeGreaterThanOrEqual((WINDOW_SECONDS / 2 - 2) * 1000);
    expect(annInbox[1].subject).toMatch(/^Reminder: approval needed \(medium risk\)/);
    expect(annInbox[1].message).toContain('Votes: 0 of 1 approval so far');
    expect(annInbox[1].links.some((l) => new URL(l).pathname.endsWith(`/approvals/${approvalId}/review`))).toBe(true);
    expect(kindsOf((await inbox(bo.email)).filter(about(approvalId)))).toEqual([
      'approval_request',
      'approval_reminder',
      'approval_reminder',
    ]);

    const alerts = await waitForMessages(
      '',
      (ms) => ms.some((m) => about(approvalId)(m) && m.attributes.kind === 'operator_alert'),
      (WINDOW_SECONDS + 30) * 1000,
    );
    const alert = alerts.filter((m) => about(approvalId)(m) && m.attributes.kind === 'operator_alert');
    expect(alert).toHaveLength(1);
    expect(alert[0].subject).toContain(`approval ${approvalId} for rec-silent expired unanswered`);
    expect(alert[0].message).toContain(`Did not answer: ${ann.email}, ${bo.email}.`);

    await recommendationWhen(customer, 'rec-silent', 'expired');
    expect(await workflowEnd(stack, customer.id, 'rec-silent')).toEqual({ status: 'SUCCEEDED', lastState: 'Expired' });
    expect(await workflowPathTo(stack, customer.id, 'rec-silent', 'Expired')).toEqual([
      'Needs approval?',
      'Request approval',
      'Remind approvers',
      'Request approval',
      'Remind approvers',
      'Request approval',
      'Remind approvers',
      'Record expiry',
      'Expired',
    ]);
  }, 150_000);

  it('takes a decision made after a reminder: the wait that follows it receives it', async () => {
    const customer = await shortWindowCustomer();
    const approvalId = await coordinateRisky(customer, { id: 'rec-late', action: 'resize' });
    const [ann] = customer.approvers;
    await waitForMessages(
      `?approver=${encodeURIComponent(ann.email)}`,
      (ms) => kindsOf(ms.filter(about(approvalId))).includes('approval_reminder'),
      WINDOW_SECONDS * 1000,
    );
    const reply = await ann.client.call('POST', `/coordination/approvals/${approvalId}/approve`, {
      user_id: ann.email,
    });
    expect(reply.status).toBe(200);
    await recommendationWhen(customer, 'rec-late', 'approved');
    expect(await workflowPathTo(stack, customer.id, 'rec-late', 'Approved')).toEqual([
      'Needs approval?',
      'Request approval',
      'Remind approvers',
      'Request approval',
      'Approved',
    ]);
  }, 120_000);
});
