// An approver in Chromium: the emailed review link opened, reloaded, and decided with the page's
// buttons, on the local stack (gateway, handlers, DynamoDB Local, local Step Functions and SNS).
// ARBITER_SCREENSHOT=<file.png> saves the review page of the first test, to look at it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForFile } from '../support/browser.js';
import { stackForFile } from '../support/local-stack.js';
import {
  APPROVED_PATH,
  coordinateRisky,
  newCustomer,
  recommendation,
  recommendationWhen,
  reviewLink,
  workflowEnd,
  workflowPathTo,
} from './approval-setup.js';

const browser = chromiumForFile();
const stack = stackForFile();

/** An agent's title that would run script if it reached the page as markup. */
const MARKUP_TITLE = '<img src=x onerror="window.__pwned=1">Migrate <b>db</b>';

async function open(link: string): Promise<{ page: Page; status: number; csp: string | undefined }> {
  const page = await browser().newPage();
  const response = await page.goto(link);
  if (!response) throw new Error(`no response for ${link}`);
  return { page, status: response.status(), csp: response.headers()['content-security-policy'] };
}

/** Clicks Approve or Reject (with a reason if given) and gives the outcome page. */
async function submit(
  page: Page,
  button: 'Approve' | 'Reject',
  reason?: string,
): Promise<{ status: number; heading: string | null; text: string | null }> {
  if (reason !== undefined) await page.fill('#reason', reason);
  const posted = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/decision'),
  );
  await page.getByRole('button', { name: button }).click();
  const response = await posted;
  await page.waitForLoadState();
  return { status: response.status(), heading: await page.textContent('h1'), text: await page.textContent('body') };
}

async function decideByLink(link: string, button: 'Approve' | 'Reject', reason?: string) {
  const { page } = await open(link);
  try {
    return await submit(page, button, reason);
  } finally {
    await page.close();
  }
}

describe('deciding from the emailed review link in Chromium', () => {
  it('shows markup in a title as text, changes nothing by opening the link, and approves with one click', async () => {
    const customer = await newCustomer(stack);
    const [approver] = customer.approvers;
    const approvalId = await coordinateRisky(customer, {
      id: 'rec-markup',
      title: MARKUP_TITLE,
      risk_level: 'high',
      action: 'migrate_database',
    });
    const { page, status, csp } = await open(await reviewLink(stack, approver, approvalId));

    expect(status).toBe(200);
    expect(csp).toContain("default-src 'none'");
    expect(await page.textContent('h1')).toBe(`Review: ${MARKUP_TITLE}`);
    expect(await page.textContent('body')).toContain(`${MARKUP_TITLE} (rec-markup)`);
    expect(await page.locator('img, b').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    if (process.env.ARBITER_SCREENSHOT) await page.screenshot({ path: process.env.ARBITER_SCREENSHOT, fullPage: true });

    await page.reload();
    expect(await recommendation(customer, 'rec-markup')).toMatchObject({
      status: 'pending_approval',
      approval: { status: 'pending', votes: [] },
    });

    expect(await submit(page, 'Approve')).toMatchObject({ status: 200, heading: 'Recommendation approved' });
    const approved = await recommendationWhen(customer, 'rec-markup', 'approved');
    expect(approved.approval).toMatchObject({
      status: 'approved',
      approved_by: approver.email,
      votes: [{ approver: approver.email, decision: 'approve', via: 'link' }],
    });
    expect(approved.approval?.votes).toHaveLength(1);
    expect(await workflowPathTo(stack, customer.id, 'rec-markup', 'Approved')).toEqual(APPROVED_PATH);
  });

  it('needs two different approvers, each through their own link, for a critical recommendation', async () => {
    const customer = await newCustomer(stack, 2);
    const [first, second] = customer.approvers;
    const approvalId = await coordinateRisky(customer, {
      id: 'rec-critical',
      risk_level: 'critical',
      action: 'terminate',
      affected_resources: ['db-prod'],
    });

    const firstLink = await reviewLink(stack, first, approvalId);
    expect(await decideByLink(firstLink, 'Approve')).toMatchObject({
      status: 200,
      heading: 'Approval recorded; more approvals are needed',
    });
    expect(await recommendation(customer, 'rec-critical')).toMatchObject({
      status: 'pending_approval',
      approval: { status: 'pending', votes: [{ approver: first.email }] },
    });
    const again = await open(firstLink);
    expect(await again.page.textContent('body')).toContain(`1 of 2 approvals so far: ${first.email} approved at`);
    await again.page.close();

    expect(await decideByLink(await reviewLink(stack, second, approvalId), 'Approve')).toMatchObject({
      status: 200,
      heading: 'Recommendation approved',
    });
    const approved = await recommendationWhen(customer, 'rec-critical', 'approved');
    expect(approved.approval?.votes.map((v) => [v.approver, v.via])).toEqual([
      [first.email, 'link'],
      [second.email, 'link'],
    ]);
    expect(await workflowPathTo(stack, customer.id, 'rec-critical', 'Approved')).toEqual(APPROVED_PATH);
  });

  it('asks for a reason before rejecting, and rejects with one', async () => {
    const customer = await newCustomer(stack);
    const approvalId = await coordinateRisky(customer, { id: 'rec-reject', risk_level: 'high' });
    const link = await reviewLink(stack, customer.approvers[0], approvalId);

    const withoutReason = await decideByLink(link, 'Reject');
    expect(withoutReason).toMatchObject({ status: 400, heading: 'Check the form' });
    expect(withoutReason.text).toContain('reason');
    expect(await recommendation(customer, 'rec-reject')).toMatchObject({
      status: 'pending_approval',
      approval: { status: 'pending', votes: [] },
    });

    expect(await decideByLink(link, 'Reject', 'Not during the sale')).toMatchObject({
      status: 200,
      heading: 'Recommendation rejected',
    });
    const rejected = await recommendationWhen(customer, 'rec-reject', 'rejected');
    expect(rejected.approval).toMatchObject({
      status: 'rejected',
      rejection_reason: 'Not during the sale',
      votes: [{ decision: 'reject', via: 'link' }],
    });
    expect(rejected.history.at(-1)?.reason).toContain('Not during the sale');
    expect(await workflowEnd(stack, customer.id, 'rec-reject')).toEqual({ status: 'SUCCEEDED', lastState: 'Rejected' });
  });

  it("offers no link to click from an agent's forged 'Review and decide' text, and tells whose words it is", async () => {
    const customer = await newCustomer(stack);
    const description = 'Routine.\n\nReview and decide: http://evil.example/approvals/x/review?sig=1';
    const approvalId = await coordinateRisky(customer, { id: 'rec-forged-page', description });
    const { page } = await open(await reviewLink(stack, customer.approvers[0], approvalId));
    try {
      expect(await page.locator('a').count()).toBe(0);
      expect(await page.textContent('body')).toContain(
        'Review and decide: http://evil.example/approvals/x/review?sig=1',
      );
      expect(await page.textContent('.note')).toContain('are the words of the agent cost-agent-1, not Arbiter');
      expect(await page.getByRole('button').allTextContents()).toEqual(['Approve', 'Reject']);
    } finally {
      await page.close();
    }
  });
});
