// The emailed review link over plain HTTP, as a mail scanner or a curious approver would use it:
// altered, expired, unknown, opened again and again, and its form posted with bad fields. Every
// answer is an HTML page under a Content-Security-Policy, and only a valid decision changes anything.
import { describe, expect, it } from 'vitest';
import { reviewUrl } from '../../functions/core/protocol/review-links.js';
import { ENV_NAMES } from '../../functions/shared/env.js';
import { stackForFile } from '../support/local-stack.js';
import { type Customer, coordinateRisky, newCustomer, recommendation, reviewLink } from './approval-setup.js';

const stack = stackForFile();

interface PageReply {
  status: number;
  type: string | null;
  csp: string | null;
  text: string;
}

async function fetchPage(url: URL | string, form?: Record<string, string>): Promise<PageReply> {
  const response = await fetch(url, form ? { method: 'POST', body: new URLSearchParams(form) } : {});
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    csp: response.headers.get('content-security-policy'),
    text: await response.text(),
  };
}

/** An HTML page (its policy is checked once, for every kind of page, at the end). */
function expectPage(reply: PageReply, status: number, mentions: string): void {
  expect({ status: reply.status, type: reply.type }).toEqual({ status, type: 'text/html; charset=utf-8' });
  expect(reply.text).toContain(mentions);
}

/** The decision form's fields for a link, as the review page fills them in. */
function formFor(link: URL, fields: Record<string, string>): Record<string, string> {
  return {
    approver: link.searchParams.get('approver') ?? '',
    expires: link.searchParams.get('expires') ?? '',
    sig: link.searchParams.get('sig') ?? '',
    ...fields,
  };
}

const decisionUrl = (link: URL) => new URL('decision', link);

const secret = () => process.env[ENV_NAMES.linkSecret] ?? '';

/** A link signed with the stack's own secret (it is in this process's environment), for any approval and expiry. */
function signedLink(approvalId: string, approverId: string, expiresInSeconds: number): URL {
  return new URL(
    reviewUrl(
      stack.url,
      { approvalId, approverId, expires: Math.floor(Date.now() / 1000) + expiresInSeconds },
      secret(),
    ),
  );
}

/** A customer with two approvers and a medium recommendation `rec-link` waiting for one of them. */
async function pendingReview(): Promise<{ customer: Customer; approvalId: string; link: URL }> {
  const customer = await newCustomer(stack, 2);
  const approvalId = await coordinateRisky(customer, { id: 'rec-link' });
  return { customer, approvalId, link: new URL(await reviewLink(stack, customer.approvers[0], approvalId)) };
}

async function expectUndecided(customer: Customer): Promise<void> {
  expect(await recommendation(customer, 'rec-link')).toMatchObject({
    status: 'pending_approval',
    approval: { status: 'pending', votes: [] },
  });
}

function altered(link: URL, param: string, value: string): URL {
  const copy = new URL(link);
  copy.searchParams.set(param, value);
  return copy;
}

describe('the emailed review link', () => {
  it('changes nothing however often it is opened', async () => {
    const { customer, link } = await pendingReview();
    for (let i = 0; i < 3; i++) expectPage(await fetchPage(link), 200, 'Review: Recommendation rec-link');
    await expectUndecided(customer);
  });

  it('refuses a forged signature, another approver or another expiry with a 403 page, to look or to decide', async () => {
    const { customer, link } = await pendingReview();
    const sig = link.searchParams.get('sig') ?? '';
    const forgeries = [
      altered(link, 'sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`),
      altered(link, 'approver', customer.approvers[1].approver_id),
      altered(link, 'expires', String(Number(link.searchParams.get('expires')) + 3600)),
    ];
    for (const forged of forgeries) {
      expectPage(await fetchPage(forged), 403, 'This link is not valid');
      expectPage(
        await fetchPage(decisionUrl(forged), formFor(forged, { decision: 'approve' })),
        403,
        'This link is not valid',
      );
    }
    await expectUndecided(customer);
  });

  it('answers a correctly signed link past its expiry with a 410 page, to look or to decide', async () => {
    const { customer, approvalId, link } = await pendingReview();
    const expired = signedLink(approvalId, customer.approvers[0].approver_id, -60);
    expect(expired.searchParams.get('sig')).not.toBe(link.searchParams.get('sig'));

    expectPage(await fetchPage(expired), 410, 'This approval has expired');
    expectPage(
      await fetchPage(decisionUrl(expired), formFor(expired, { decision: 'approve' })),
      410,
      'This approval has expired',
    );
    await expectUndecided(customer);
  });

  it('answers a correctly signed link to an approval that does not exist with a 404 page', async () => {
    const { customer } = await pendingReview();
    expectPage(
      await fetchPage(signedLink('approval_nope', customer.approvers[0].approver_id, 3600)),
      404,
      'This approval does not exist.',
    );
  });

  it('answers a decision form with a missing or bad field with a 400 page naming it, and changes nothing', async () => {
    const { customer, link } = await pendingReview();
    const { sig: _sig, ...unsigned } = formFor(link, { decision: 'approve' });
    const forms: [Record<string, string>, string][] = [
      [formFor(link, {}), 'decision'],
      [formFor(link, { decision: 'maybe' }), 'decision'],
      [formFor(link, { decision: 'reject' }), 'reason'],
      [formFor(link, { decision: 'reject', reason: '   ' }), 'reason'],
      [formFor(link, { decision: 'approve', expires: 'soon' }), 'expires'],
      [unsigned, 'sig'],
    ];
    for (const [form, field] of forms) {
      const reply = await fetchPage(decisionUrl(link), form);
      expectPage(reply, 400, 'Check the form');
      expect(reply.text, JSON.stringify(form)).toContain(field);
    }
    await expectUndecided(customer);
  });

  it('shows a closed approval as decided, and answers a late decision with a 409 page', async () => {
    const { customer, approvalId, link } = await pendingReview();
    expectPage(
      await fetchPage(decisionUrl(link), formFor(link, { decision: 'approve' })),
      200,
      'Recommendation approved',
    );

    const other = new URL(await reviewLink(stack, customer.approvers[1], approvalId));
    const review = await fetchPage(other);
    expectPage(review, 200, 'This approval is approved; there is nothing left to decide.');
    expect(review.text).not.toContain('<form');
    expectPage(
      await fetchPage(decisionUrl(other), formFor(other, { decision: 'reject', reason: 'too late' })),
      409,
      'Already decided',
    );
    expect((await recommendation(customer, 'rec-link')).approval?.votes).toHaveLength(1);
  });

  it("serves every page, errors included, under the review page's Content-Security-Policy", async () => {
    const { customer, approvalId, link } = await pendingReview();
    const approverId = customer.approvers[0].approver_id;
    const pages = {
      review: await fetchPage(link),
      400: await fetchPage(decisionUrl(link), formFor(link, { decision: 'maybe' })),
      403: await fetchPage(altered(link, 'sig', 'forged')),
      404: await fetchPage(signedLink('approval_nope', approverId, 3600)),
      410: await fetchPage(signedLink(approvalId, approverId, -60)),
    };
    const policies = Object.fromEntries(Object.entries(pages).map(([name, page]) => [name, page.csp]));
    expect(policies.review).toContain("default-src 'none'");
    expect(policies).toEqual({
      review: policies.review,
      400: policies.review,
      403: policies.review,
      404: policies.review,
      410: policies.review,
    });
  });
});
