// The approver sees what they approve (issue 9 §10), in Chromium on the local stack: a critical
// recommendation with a 3-step plan that won conflicts (one rival discarded in its batch, one earlier
// recommendation superseded) and has one vote of the two it needs. The review page shows the steps
// with their agents, critical and reversible; the conflicts won; the votes; the time left in words;
// and it fits a 390 px phone without scrolling sideways. Screenshots at 390 px and 1280 px are saved
// in the test's temp folder (ARBITER_SCREENSHOT_DIR=<dir> keeps them there instead, to look at).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Approval } from '../../functions/core/model/records.js';
import { chromiumForFile } from '../support/browser.js';
import { rec } from '../support/fixtures.js';
import { stackForFile } from '../support/local-stack.js';
import { type Customer, newCustomer, recommendationWhen, reviewLink } from './approval-setup.js';

const browser = chromiumForFile();
const stack = stackForFile();
const kept = process.env.ARBITER_SCREENSHOT_DIR;
const shots = kept ? (mkdirSync(kept, { recursive: true }), kept) : mkdtempSync(join(tmpdir(), 'arbiter-review-'));

afterAll(() => {
  if (!kept) rmSync(shots, { recursive: true, force: true });
});

async function coordinate(customer: Customer, recommendations: Record<string, unknown>[]) {
  const reply = await customer.agent.call<{ approvals: Approval[] }>('POST', '/coordination/coordinate', {
    customer_id: customer.id,
    recommendations,
    auto_approve: false,
    execute_now: false,
  });
  expect(reply.status).toBe(200);
  return reply.body;
}

describe('the review page of a critical recommendation with a 3-step plan', () => {
  it('shows the steps, the conflicts won, the votes and the time left, on a phone and a desktop', async () => {
    const customer = await newCustomer(stack, 2);
    const [first, second] = customer.approvers;
    // Pending approval when the better one arrives: superseded by it.
    await coordinate(customer, [
      rec({ id: 'resize-db', risk_level: 'medium', action: 'resize', affected_resources: ['db-main'], priority: 3 }),
    ]);
    const { approvals } = await coordinate(customer, [
      rec({
        id: 'spot-fleet',
        title: 'Move the batch fleet to spot instances',
        risk_level: 'critical',
        action: 'migrate_to_spot',
        affected_resources: ['asg-batch-fleet-eu-west-1-production', 'db-main'],
        priority: 9,
        estimated_savings: 4200,
      }),
      rec({
        id: 'reserve-fleet',
        action: 'reserve_instances',
        affected_resources: ['asg-batch-fleet-eu-west-1-production'],
        priority: 2,
      }),
    ]);
    const approval = approvals.find((a) => a.recommendation_id === 'spot-fleet')!;
    await recommendationWhen(customer, 'resize-db', 'superseded');
    const vote = await first.client.call('POST', `/coordination/approvals/${approval.id}/approve`, {
      user_id: first.email,
    });
    expect(vote.status).toBe(200);

    const page = await browser().newPage();
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      const response = await page.goto(await reviewLink(stack, second, approval.id));
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");

      const steps = await page.locator('ol.steps li').allTextContents();
      expect(steps).toEqual([
        'take_snapshot by cost-agent-1criticalreversible',
        'migrate_workload by cost-agent-1criticalreversible',
        'validate_quality by application-agentcriticalnot reversible',
      ]);
      const won = await page.locator('ul.won li').allTextContents();
      expect(won).toHaveLength(2);
      expect(won.find((w) => w.includes('reserve-fleet'))).toMatch(
        /^resource and action conflict with reserve-fleet .*which was discarded/,
      );
      expect(won.find((w) => w.includes('resize-db'))).toMatch(/conflict with resize-db .*which was superseded/);
      const body = await page.textContent('body');
      expect(body).toContain(`1 of 2 approvals so far: ${first.email} approved at`);
      expect(body).toMatch(/Decide within 3 hours\./);
      expect(body).toContain('critical risk (as the agent declared it) needs 2 approvals from different approvers');
      // Nothing wider than the phone: no sideways scrolling.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(shots, 'review-390.png'), fullPage: true });

      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: join(shots, 'review-1280.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
