// The operator's console (GET /local/console) in Chromium, on the local stack: a recommendation
// coordinated, approved by policy and executed by the simulated agents shows up with its
// execution, whose page lists the states it went through; nothing an agent wrote runs as markup,
// and no workflow task token reaches any page.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { DynamoPlanStore } from '../../functions/adapters/plan-store.js';
import { RECOMMENDATION_STATUSES } from '../../functions/core/model/statuses.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import { operatorAlert } from '../../local/arbiter-client.js';
import { CONSOLE_PATH, consoleRoutes } from '../../local/console/index.js';
import { chromiumForFile } from '../support/browser.js';
import { rec } from '../support/fixtures.js';
import { stackForFile } from '../support/local-stack.js';
import {
  type Customer,
  coordinateRisky,
  newCustomer,
  recommendationWhen,
  reviewLink,
  workflowEnd,
} from './approval-setup.js';

const browser = chromiumForFile();
const stack = stackForFile();

/** An agent's title that would run script if it reached the page as markup. */
const MARKUP_TITLE = '<img src=x onerror="window.__pwned=1">Move <b>web</b> to spot';

/**
 * The states a low-risk execute_now plan of three good steps enters, in order (after the approval and
 * dependency checks): on success it releases its locks and records the outcome in one state. Each
 * "Run step" is named after the plan's step it ran (issue 9 §4).
 */
const EXECUTION_STATES = [
  'Acquire resource locks',
  'More steps?',
  'Run step 1: take_snapshot',
  'More steps?',
  'Run step 2: migrate_workload',
  'More steps?',
  'Run step 3: validate_quality',
  'More steps?',
  'Release locks and record completion',
  'Completed',
];

/** Coordinates a low-risk migration that policy approves and runs at once; waits until the recommendation is `status` and its workflow ended. */
async function executeNow(customer: Customer, fields: Parameters<typeof rec>[0], status = 'completed') {
  const recommendation = rec({
    action: 'migrate_to_spot',
    risk_level: 'low',
    affected_resources: [`asg-${fields.id}`],
    ...fields,
    customer_id: customer.id,
  });
  const reply = await customer.agent.call('POST', '/coordination/coordinate', {
    customer_id: customer.id,
    recommendations: [recommendation],
    auto_approve: true,
    execute_now: true,
  });
  expect(reply.status).toBe(200);
  const { plan_id: planId } = await recommendationWhen(customer, fields.id, status);
  return { planId, workflow: await workflowEnd(stack, customer.id, fields.id) };
}

/** The tokens the workflow handed out for the plan, as stored next to it (the console must show none). */
async function storedTokens(customerId: string, planId: string): Promise<string[]> {
  const db = documentClient({ endpoint: stack.dynamoEndpoint });
  try {
    const plan = await new DynamoPlanStore(db, stack.tableName).getPlan(customerId, planId);
    return [plan?.execution_token, ...(plan?.steps ?? []).map((s) => s.task_token)].filter(
      (t): t is string => t !== undefined,
    );
  } finally {
    db.destroy();
  }
}

/** Opens the URL (or follows the link) and checks what every console page must hold to. */
async function visit(page: Page, go: () => Promise<unknown>, forbidden: readonly string[]): Promise<string> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().isNavigationRequest()), go()]);
  await page.waitForLoadState();
  expect(response.status()).toBe(200);
  expect(response.headers()['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
  const html = await page.content();
  for (const secret of ['task_token', ...forbidden]) expect(html).not.toContain(secret);
  expect(await page.locator('script, img, b').count()).toBe(0);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
  return (await page.textContent('body')) ?? '';
}

/** The text of each cell of the row that mentions `text`, in the table of a section (`#executions`). */
async function rowOf(page: Page, section: string, text: string): Promise<string[]> {
  return page.locator(`${section} tbody tr`, { hasText: text }).locator('td').allTextContents();
}

/** The states the execution page lists as entered (events `*StateEntered`), in order. */
async function enteredStates(page: Page): Promise<string[]> {
  const [events, states] = await Promise.all([column(page, '#state-history', 3), column(page, '#state-history', 4)]);
  return states.filter((_, i) => events[i]?.endsWith('StateEntered'));
}

/**
 * Leaves a console page for `url`. The page reloads itself every 5 s: on a busy machine that reload
 * could start while the next page is still on its way and abort it, so it goes through a blank page.
 */
async function away(page: Page, url: string): Promise<unknown> {
  await page.goto('about:blank');
  return page.goto(url);
}

/** A counts table as { name: [total, per customer...] }, in the order of its rows. */
async function countRows(page: Page, section: string): Promise<Record<string, number[]>> {
  const rows = await page.locator(`${section} tbody tr`).all();
  const entries = await Promise.all(
    rows.map(async (row) => {
      const [name, ...counts] = await row.locator('td').allTextContents();
      return [name, counts.map(Number)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function headings(page: Page, section: string): Promise<string[]> {
  return page.locator(`${section} thead th`).allTextContents();
}

/** The text of each cell of one column, top to bottom. */
function column(page: Page, section: string, index: number): Promise<string[]> {
  return page.locator(`${section} tbody td:nth-child(${index})`).allTextContents();
}

describe('the operator console in Chromium', () => {
  it('shows the executed recommendation and its execution, and the states the execution went through', async () => {
    const customer = await newCustomer(stack, 0);
    const { planId, workflow } = await executeNow(customer, { id: 'rec-spot', title: MARKUP_TITLE });
    expect(workflow).toEqual({ status: 'SUCCEEDED', lastState: 'Completed' });
    const tokens = await storedTokens(customer.id, planId!);
    expect(tokens.length).toBeGreaterThan(0);
    const name = executionName(customer.id, 'rec-spot');
    const page = await browser().newPage();

    await visit(page, () => page.goto(stack.consoleUrl), tokens);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('5');
    expect(await rowOf(page, '#executions', name)).toEqual([
      name,
      'SUCCEEDED',
      expect.any(String),
      expect.any(String),
      'Completed',
    ]);
    expect(await rowOf(page, '#recommendations', 'rec-spot')).toEqual([
      expect.any(String),
      customer.id,
      'rec-spot',
      MARKUP_TITLE,
      'migrate_to_spot',
      'low',
      'completed',
      expect.any(String),
    ]);

    await visit(page, () => page.getByRole('link', { name }).click(), tokens);
    expect(await page.textContent('h1')).toBe(`Execution ${name}`);
    const entered = await enteredStates(page);
    expect(entered.slice(entered.indexOf('Acquire resource locks'))).toEqual(EXECUTION_STATES);
    expect(entered).not.toContain('Release locks');
    expect(entered).not.toContain('Roll back completed steps');
    // A step's exit carries the same name as its entry, whatever index its output moved on to.
    const [events, states] = await Promise.all([column(page, '#state-history', 3), column(page, '#state-history', 4)]);
    expect(states.filter((_, i) => events[i] === 'TaskStateExited' && states[i].startsWith('Run step'))).toEqual(
      EXECUTION_STATES.filter((state) => state.startsWith('Run step')),
    );

    await visit(page, () => page.getByRole('link', { name: `${customer.id} / rec-spot` }).click(), tokens);
    expect(await page.textContent('h1')).toBe(MARKUP_TITLE);
    expect(await column(page, '#plan', 2)).toEqual(['take_snapshot', 'migrate_workload', 'validate_quality']);
    expect(await column(page, '#plan', 4)).toEqual(['completed', 'completed', 'completed']);
    expect(await column(page, '#history', 2)).toEqual(expect.arrayContaining(['executing', 'completed']));

    await visit(page, () => page.getByRole('link', { name }).click(), tokens);
    expect(await page.textContent('h1')).toBe(`Execution ${name}`);
    await page.close();
  });

  it('filters recommendations by customer and lists approvals still waiting for votes', async () => {
    const [waiting, other] = await Promise.all([newCustomer(stack, 1), newCustomer(stack, 0)]);
    const approvalId = await coordinateRisky(waiting, { id: 'rec-waiting', risk_level: 'high' });
    await executeNow(other, { id: 'rec-other' });
    const page = await browser().newPage();

    const all = await visit(page, () => page.goto(stack.consoleUrl), []);
    expect(all).toContain('rec-other');
    expect(await rowOf(page, '#pending-approvals', approvalId)).toEqual([
      waiting.id,
      'rec-waiting',
      '23 hours left',
      '0 of 1',
      'high',
      approvalId,
      expect.any(String),
      expect.any(String),
    ]);

    const filtered = await visit(
      page,
      () => page.goto(`${stack.consoleUrl}?customer_id=${encodeURIComponent(waiting.id)}`),
      [],
    );
    expect(filtered).toContain('rec-waiting');
    expect(filtered).not.toContain('rec-other');
    expect(await column(page, '#executions', 1)).toEqual([executionName(waiting.id, 'rec-waiting')]);
    expect(await page.inputValue('input[name="customer_id"]')).toBe(waiting.id);
    await page.close();
  });

  it('shows why a failed execution failed, and the error of the step that failed', async () => {
    const customer = await newCustomer(stack, 0);
    const failing = { id: 'rec-fails', parameters: { simulate: { fail_steps: ['migrate_workload'] } } };
    expect((await executeNow(customer, failing, 'rolled_back')).workflow).toEqual({
      status: 'FAILED',
      lastState: 'Rolled back',
    });
    const name = executionName(customer.id, 'rec-fails');
    const page = await browser().newPage();

    await visit(page, () => page.goto(`${stack.consoleUrl}?customer_id=${encodeURIComponent(customer.id)}`), []);
    expect(await rowOf(page, '#executions', name)).toEqual([
      name,
      'FAILED',
      expect.any(String),
      expect.any(String),
      'Rolled back',
    ]);

    const execution = await visit(page, () => page.getByRole('link', { name }).click(), []);
    expect(execution).toContain('RolledBack: A critical step failed');
    expect(await enteredStates(page)).toEqual(
      expect.arrayContaining([
        'Step failed 2: migrate_workload',
        'Roll back step 1: take_snapshot',
        'Release locks',
        'Record outcome',
      ]),
    );

    await visit(page, () => page.getByRole('link', { name: `${customer.id} / rec-fails` }).click(), []);
    const [, failed] = await column(page, '#plan', 4);
    expect(failed).toBe('failed');
    expect((await rowOf(page, '#plan', 'migrate_workload')).at(-1)).not.toBe('–');
    await page.close();
  });

  it('home: counts by status and by outcome, the pending approval with its time left, a rejection not green', async () => {
    const customer = await newCustomer(stack, 1);
    const [approver] = customer.approvers;
    const rejectedApproval = await coordinateRisky(customer, { id: 'rec-no', affected_resources: ['db-no'] });
    const pendingApproval = await coordinateRisky(customer, { id: 'rec-later', affected_resources: ['db-later'] });
    await executeNow(customer, { id: 'rec-done' });
    await reviewLink(stack, approver, rejectedApproval); // the workflow waits on the approval: its email is out
    const rejected = await approver.client.call('POST', `/coordination/approvals/${rejectedApproval}/reject`, {
      user_id: approver.email,
      reason: 'not this week',
    });
    expect(rejected.status).toBe(200);
    await recommendationWhen(customer, 'rec-no', 'rejected');
    expect(await workflowEnd(stack, customer.id, 'rec-no')).toEqual({ status: 'SUCCEEDED', lastState: 'Rejected' });
    const page = await browser().newPage();

    await visit(page, () => page.goto(`${stack.consoleUrl}?customer_id=${encodeURIComponent(customer.id)}`), []);
    const byStatus = await countRows(page, '#status-counts');
    expect(Object.keys(byStatus)).toEqual([...RECOMMENDATION_STATUSES]);
    const expected: Record<string, number> = { pending_approval: 1, rejected: 1, completed: 1 };
    for (const s of RECOMMENDATION_STATUSES) expect(byStatus[s], s).toEqual([expected[s] ?? 0, expected[s] ?? 0]);
    expect(await headings(page, '#status-counts')).toEqual(['Status', 'Total', customer.id]);
    const byOutcome = await countRows(page, '#execution-outcomes');
    expect(Object.keys(byOutcome)).toEqual(['completed', 'failed', 'rolled_back', 'rollback_failed', 'cancelled']);
    expect(byOutcome.completed).toEqual([1, 1]);
    // The rejected one never ran: no execution outcome for it.
    for (const outcome of ['failed', 'rolled_back', 'rollback_failed', 'cancelled'])
      expect(byOutcome[outcome]).toEqual([0, 0]);

    expect(await rowOf(page, '#pending-approvals', pendingApproval)).toEqual([
      customer.id,
      'rec-later',
      '47 hours left',
      '0 of 1',
      'medium',
      pendingApproval,
      expect.any(String),
      expect.any(String),
    ]);
    expect(await page.locator('#pending-approvals', { hasText: rejectedApproval }).count()).toBe(0);

    // Step Functions ended the rejected one in a Succeed state; the console shows the rejection, in red.
    const rejectedName = executionName(customer.id, 'rec-no');
    expect(await rowOf(page, '#executions', rejectedName)).toEqual([
      rejectedName,
      'rejected',
      expect.any(String),
      expect.any(String),
      'Rejected',
    ]);
    const badge = page.locator('#executions tbody tr', { hasText: rejectedName }).locator('.status');
    expect(await badge.getAttribute('class')).toBe('status bad');
    const doneName = executionName(customer.id, 'rec-done');
    expect((await rowOf(page, '#executions', doneName))[1]).toBe('SUCCEEDED');

    // Unfiltered, the totals hold this customer's and the other tests' (never fewer than this one's).
    await visit(page, () => away(page, stack.consoleUrl), []);
    const all = await countRows(page, '#status-counts');
    for (const [s, n] of Object.entries(expected)) expect(all[s][0]).toBeGreaterThanOrEqual(n);
    for (const counts of Object.values(all)) expect(counts[0]).toBe(counts.slice(1).reduce((a, b) => a + b, 0));

    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, () => away(page, `${stack.consoleUrl}?customer_id=${encodeURIComponent(customer.id)}`), []);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(tmpdir(), 'arbiter-console-home.png'), fullPage: true });
    await page.close();
  });

  it('home: the last operator alerts, newest first, from the outbox the stack keeps', async () => {
    const customer = await newCustomer(stack, 0);
    const failing = { id: 'rec-alerted', parameters: { simulate: { fail_steps: ['migrate_workload'] } } };
    await executeNow(customer, failing, 'rolled_back');
    await operatorAlert(stack.url, customer.id, 'rec-alerted');
    // The stack's routes are built without the outbox (local/stack.ts); these are built with it and
    // answer the browser's requests for the console, over the same table, executions and outbox.
    const withAlerts = consoleRoutes({
      executions: stack.stepFunctions.executions,
      dynamoEndpoint: stack.dynamoEndpoint,
      tableName: stack.tableName,
      outbox: stack.outbox,
    });
    const page = await browser().newPage();
    await page.route(
      (url) => url.pathname === CONSOLE_PATH,
      async (route) => {
        const url = new URL(route.request().url());
        const home = withAlerts.find((r) => r.path === CONSOLE_PATH)!;
        const answer = await home.serve({
          method: 'GET',
          path: url.pathname,
          pathParameters: {},
          query: url.searchParams,
          headers: {},
          body: '',
        });
        await route.fulfill({ status: answer.statusCode, headers: answer.headers, body: answer.body });
      },
    );

    await visit(page, () => page.goto(`${stack.consoleUrl}?customer_id=${encodeURIComponent(customer.id)}`), []);
    const [alert] = await page.locator('#operator-alerts tbody tr').all();
    expect(await alert.locator('td').allTextContents()).toEqual([
      expect.any(String),
      'rolled_back',
      expect.stringMatching(new RegExp(`^${customer.id} / rec-alerted.*rec-alerted rolled back`, 's')),
    ]);
    expect(await alert.getByRole('link').textContent()).toBe(`${customer.id} / rec-alerted`);
    expect(await page.locator('#operator-alerts tbody tr').count()).toBe(1);
    const byOutcome = await countRows(page, '#execution-outcomes');
    expect(byOutcome.rolled_back).toEqual([1, 1]);
    expect((await countRows(page, '#status-counts')).rolled_back).toEqual([1, 1]);
    await page.setViewportSize({ width: 390, height: 844 });
    await away(page, page.url());
    await page.screenshot({ path: join(tmpdir(), 'arbiter-console-alerts.png'), fullPage: true });
    await page.close();
  });

  it('answers 404 pages for an unknown recommendation or execution', async () => {
    for (const path of ['/recommendations/nobody/rec-1', '/executions/no-such-execution']) {
      const response = await fetch(`${stack.consoleUrl}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('No such');
    }
  });
});
