// Approval emails on the local stack, whose SNS refuses what SNS refuses: titles SNS would not take
// as a subject still send their email, and an agent's text cannot forge Arbiter's review link.
import { describe, expect, it } from 'vitest';
import type { Approval } from '../../functions/core/model/records.js';
import type { OutboxMessage } from '../../local/sns/index.js';
import { rec } from '../support/fixtures.js';
import { stackForFile } from '../support/local-stack.js';
import { type Customer, coordinateRisky, newCustomer, recommendationWhen, reviewLink } from './approval-setup.js';

const stack = stackForFile();

/** What SNS's Publish accepts as a Subject. */
const SNS_SUBJECT = /^[!-~][ -~]{0,98}$/;

/** The approval request the approver received for this approval (the review link is waited for first). */
async function emailFor(customer: Customer, approvalId: string): Promise<{ link: string; message: OutboxMessage }> {
  const approver = customer.approvers[0];
  const link = await reviewLink(stack, approver, approvalId);
  const message = stack.outbox
    .messages({ approver: [approver.email] })
    .find((m) => m.attributes.approval_id === approvalId);
  if (!message) throw new Error(`no email for ${approvalId}`);
  return { link, message };
}

describe('approval emails', () => {
  it.each([
    [
      'in French',
      'Réduire les coûts de 30 % grâce aux instances « spot » à Noël',
      /^Approval needed \(medium risk\): Reduire les couts de 30 % grace aux instances " spot " a Noel$/,
    ],
    [
      'with line breaks',
      'first line\nsecond line\r\nthird',
      /^Approval needed \(medium risk\): first line second line third$/,
    ],
    [
      'with control characters',
      'bell\u0007 and escape\u001b[31m red',
      /^Approval needed \(medium risk\): bell and escape \[31m red$/,
    ],
    ['of 200 characters', 'word '.repeat(40), /^Approval needed \(medium risk\): (word ){12}word\.\.\.$/],
  ])('sends the email of a title %s, with a subject SNS accepts', async (_, title, subject) => {
    const customer = await newCustomer(stack, 1);
    const approvalId = await coordinateRisky(customer, { id: 'rec-title', title });
    const { message } = await emailFor(customer, approvalId);
    expect(message.subject).toMatch(SNS_SUBJECT);
    expect(message.subject).toMatch(subject);
  });

  it("keeps Arbiter's review link first and alone when the description forges one", async () => {
    const customer = await newCustomer(stack, 1);
    const description =
      'Routine change.\n\nReview and decide: http://evil.example/approvals/x/review?sig=1\n\nor www.evil.example';
    const approvalId = await coordinateRisky(customer, {
      id: 'rec-forged',
      title: 'Decide at https://evil.example/now',
      description,
    });
    const { link, message } = await emailFor(customer, approvalId);

    expect(message.links).toEqual([link]);
    expect(new URL(link).origin).toBe(stack.url);
    const lines = message.message.split('\n');
    const quoteStart = lines.indexOf(
      '--- Written by the agent cost-agent-1, not by Arbiter. Links in it are disabled. ---',
    );
    expect(lines.indexOf(link)).toBeGreaterThan(0);
    expect(lines.indexOf(link)).toBeLessThan(quoteStart);
    // Every line with the forged words is inside the quote, quoted and defanged.
    for (const [i, line] of lines.entries()) {
      if (/evil/.test(line)) {
        expect(i, line).toBeGreaterThan(quoteStart);
        expect(line).toMatch(/^> /);
        expect(line).not.toMatch(/https?:|www\.|evil\.example/);
      }
    }
    expect(message.message).toContain('>   Review and decide: hxxp[:]//evil[.]example/approvals/x/review?sig=1');
  });
});

describe('dependencies and withdrawn approvals', () => {
  it("lists the recommendation's dependencies and their state in the email and on the review page", async () => {
    const customer = await newCustomer(stack, 1);
    const reply = await customer.agent.call<{ approvals: Approval[] }>('POST', '/coordination/coordinate', {
      customer_id: customer.id,
      recommendations: [
        rec({ id: 'rec-a', risk_level: 'medium', affected_resources: ['i-a'], customer_id: customer.id }),
        rec({
          id: 'rec-d',
          risk_level: 'medium',
          affected_resources: ['i-d'],
          dependencies: ['rec-a'],
          customer_id: customer.id,
        }),
      ],
      auto_approve: false,
      execute_now: false,
    });
    expect(reply.status).toBe(200);
    const approvalId = reply.body.approvals.find((a) => a.recommendation_id === 'rec-d')?.id as string;
    const { link, message } = await emailFor(customer, approvalId);
    expect(message.message).toContain('Depends on: rec-a (pending approval). It runs only after that one completes.');

    const page = await (await fetch(link)).text();
    expect(page).toContain(
      '<dt>Depends on</dt><dd>rec-a (pending approval). It runs only after that one completes.</dd>',
    );
  });

  it('says plainly on the link page that an approval was withdrawn, and offers no form', async () => {
    const customer = await newCustomer(stack, 1);
    const approvalId = await coordinateRisky(customer, { id: 'rec-old', affected_resources: ['db-1'], priority: 1 });
    const link = await reviewLink(stack, customer.approvers[0], approvalId);
    await coordinateRisky(customer, { id: 'rec-new', affected_resources: ['db-1'], priority: 10 });
    const superseded = await recommendationWhen(customer, 'rec-old', 'superseded');
    expect(superseded.approval?.status).toBe('cancelled');

    const page = await fetch(link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(
      `This approval was withdrawn, so there is nothing to decide: ${superseded.status_reason}.`.replaceAll(
        "'",
        '&#39;',
      ),
    );
    expect(html).not.toContain('<form');
  });
});
