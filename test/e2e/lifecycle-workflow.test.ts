// Issue 13's workflow cases end to end over HTTP on the local stack (real handlers, ASL, DynamoDB
// Local, simulated agents): an idle approval past its expires_at no longer counts and cannot be
// executed (§1), waiting for an execution slot is visible and woken when the holder ends (§3), idle
// approvals expire after execute_within_seconds and free their resources (§4), and the plan of a
// recommendation that ended before running says cancelled with every step skipped (§8).
// §3 is shown in its execution-slot form: over HTTP, coordinate never keeps two active
// recommendations on one resource, and a dependency releases its locks before its dependents wake,
// so a resource held by another of Arbiter's executions cannot be produced here (test/workflow/
// execution-locks.test.ts takes such a lock directly).
import { describe, expect, it } from 'vitest';
import type { CoordinationResponse, ExecutionPlan } from '../../functions/core/model/records.js';
import { eventually } from '../../local/arbiter-client.js';
import { buildLambdaContext } from '../../local/proxy-event.js';
import { importHandler } from '../../local/step-functions/task-overrides.js';
import { agentCalls, executionStackForFile, setPolicy } from '../support/execution.js';
import { rec } from '../support/fixtures.js';
import { type Customer, newCustomer, recommendation, recommendationWhen } from './approval-setup.js';
import { statesEntered } from './workflow-states.js';

const stack = executionStackForFile();

const coordinate = (customer: Customer, recommendations: Record<string, unknown>[], extra: Record<string, unknown>) =>
  customer.agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
    customer_id: customer.id,
    recommendations,
    ...extra,
  });

const execute = (customer: Customer, planId: string) =>
  customer.agent.call<{ error?: string; message?: string }>(
    'POST',
    `/coordination/plans/${encodeURIComponent(planId)}/execute`,
  );

const plan = async (customer: Customer, planId: string) => {
  const reply = await customer.agent.call<ExecutionPlan>('GET', `/coordination/plans/${encodeURIComponent(planId)}`);
  expect(reply.status).toBe(200);
  return reply.body;
};

/** A condition on the clock: the instant has passed. */
const reachedAt = (instant: number, timeoutMs = 10_000) =>
  eventually(
    `${new Date(instant).toISOString()} to pass`,
    async () => (Date.now() > instant ? true : undefined),
    timeoutMs,
  );

/** What EventBridge's schedule does on AWS (as test/e2e/ended-before-running.test.ts does), once the deadline has passed. */
async function reconcileAfter(deadline: number, timeoutMs?: number): Promise<void> {
  await reachedAt(deadline, timeoutMs);
  const reconciler = await importHandler('reconciler');
  await reconciler({ min_age_seconds: 0 }, buildLambdaContext('arbiter-reconciler', 60_000));
}

describe('§1 an approved, idle recommendation past its expires_at', () => {
  it('no longer beats a newcomer on its resource, and executing it answers 409 and runs nothing', {
    timeout: 60_000,
  }, async () => {
    const customer = await newCustomer(stack, 0);
    const expiresAt = Date.now() + 2_000;
    const first = await coordinate(
      customer,
      [rec({ id: 'OLD', affected_resources: ['db-1'], priority: 9, expires_at: new Date(expiresAt).toISOString() })],
      { auto_approve: true, execute_now: false },
    );
    expect(first.status).toBe(200);
    const old = await recommendationWhen(customer, 'OLD', 'approved');
    const planId = old.plan_id!;
    expect(planId).toBeTruthy();

    await reachedAt(expiresAt);
    // A lower-ranked newcomer on the same resource: before the fix it was "discarded in favour of" OLD.
    const newcomer = await coordinate(customer, [rec({ id: 'NEW', affected_resources: ['db-1'], priority: 1 })], {
      auto_approve: true,
      execute_now: false,
    });
    expect(newcomer.status).toBe(200);
    expect(newcomer.body.not_kept).toEqual([]);
    expect(newcomer.body.recommendations.map((r) => r.id)).toEqual(['NEW']);
    expect((await recommendation(customer, 'NEW')).status).toBe('approved');

    const late = await execute(customer, planId);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatch(/expire/);
    // Nothing runs: OLD never executes, its plan never starts and no agent is asked for a step.
    const ended = await recommendation(customer, 'OLD');
    expect(['executing', 'completed']).not.toContain(ended.status);
    expect((await plan(customer, planId)).status).not.toMatch(/running|completed/);
    expect(agentCalls(stack, planId)).toEqual([]);
  });

  it('without any newcomer, executing it answers 409; the reconciler then ends it expired and nothing ran', {
    timeout: 60_000,
  }, async () => {
    const customer = await newCustomer(stack, 0);
    const expiresAt = Date.now() + 2_000;
    await coordinate(
      customer,
      [
        rec({
          id: 'IDLE',
          action: 'migrate_to_spot',
          affected_resources: ['i-1'],
          expires_at: new Date(expiresAt).toISOString(),
        }),
      ],
      { auto_approve: true, execute_now: false },
    );
    const idle = await recommendationWhen(customer, 'IDLE', 'approved');
    const planId = idle.plan_id!;

    await reachedAt(expiresAt);
    const late = await execute(customer, planId);
    expect(late.status).toBe(409);
    expect(late.body.error).toContain('expired');
    await reconcileAfter(expiresAt);
    const expired = await recommendationWhen(customer, 'IDLE', 'expired');
    expect(expired.status_reason).toMatch(/expires_at .* passed before the plan started/);
    const cancelled = await plan(customer, planId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(agentCalls(stack, planId)).toEqual([]);
  });
});

describe('§3 waiting for resources is visible and event-driven', () => {
  it('a plan that cannot get an execution slot is waiting_resources, says why, and runs as soon as the holder ends', {
    timeout: 60_000,
  }, async () => {
    const customer = await newCustomer(stack, 0);
    await setPolicy(stack, customer, { max_concurrent_executions: 1 });
    // HOLD takes the customer's only slot and keeps it for a few seconds (its agent answers late).
    const hold = await coordinate(
      customer,
      [
        rec({
          id: 'HOLD',
          action: 'resize_disk',
          affected_resources: ['vol-h'],
          parameters: { simulate: { delay_ms: 3_000 } },
        }),
      ],
      { auto_approve: true, execute_now: true },
    );
    expect(hold.status).toBe(200);
    await recommendationWhen(customer, 'HOLD', 'executing');

    const wait = await coordinate(
      customer,
      [rec({ id: 'WAIT', action: 'resize_disk', affected_resources: ['vol-w'] })],
      { auto_approve: true, execute_now: true },
    );
    expect(wait.status).toBe(200);
    const waitPlan = wait.body.execution_plans[0].id;
    const waiting = await recommendationWhen(customer, 'WAIT', 'waiting_resources');
    const entries = waiting.history.filter((h) => h.status === 'waiting_resources');
    expect(entries).toHaveLength(1);
    expect(entries[0].reason).toMatch(/^waiting for resources: .*maximum of concurrent executions/);
    expect((await recommendation(customer, 'HOLD')).status).toBe('executing');
    expect(agentCalls(stack, waitPlan)).toEqual([]);

    // The holder ends; WAIT is woken (not polled): it completes right after, having waited once.
    const holder = await recommendationWhen(customer, 'HOLD', 'completed');
    const done = await recommendationWhen(customer, 'WAIT', 'completed');
    expect(Date.parse(done.plan!.started_at!)).toBeGreaterThanOrEqual(Date.parse(holder.plan!.completed_at!));
    expect(statesEntered(stack, customer.id, 'WAIT').filter((s) => s === 'Wait for resources')).toHaveLength(1);
    expect(agentCalls(stack, waitPlan)).toEqual(['execute resize_disk']);
  });
});

describe('§4 idle approvals end', () => {
  it('not executed within execute_within_seconds: expired with the reason, its resource free, and execute answers 409 naming the reason', {
    timeout: 150_000,
  }, async () => {
    const customer = await newCustomer(stack, 0);
    // Without revival, so that EARLY (discarded below) does not come back and take db-4 when IDLE expires.
    await setPolicy(stack, customer, { execute_within_seconds: 60, revive_discarded: false });
    await coordinate(customer, [rec({ id: 'IDLE', affected_resources: ['db-4'], priority: 9 })], {
      auto_approve: true,
      execute_now: false,
    });
    const idle = await recommendationWhen(customer, 'IDLE', 'approved');
    const planId = idle.plan_id!;
    const approvedAt = Date.parse(idle.history.findLast((h) => h.status === 'approved')!.at);

    // Still within the limit: it holds db-4 against a lower-ranked newcomer.
    const early = await coordinate(customer, [rec({ id: 'EARLY', affected_resources: ['db-4'], priority: 1 })], {
      auto_approve: true,
      execute_now: false,
    });
    expect(early.body.not_kept).toEqual([
      expect.objectContaining({ id: 'EARLY', status: 'discarded', resolved_by: 'IDLE' }),
    ]);

    await reconcileAfter(approvedAt + 60_000, 120_000);
    const expired = await recommendationWhen(customer, 'IDLE', 'expired');
    expect(expired.status_reason).toMatch(/not executed within 60 s/);
    expect(expired.history.at(-1)).toMatchObject({ status: 'expired', reason: expired.status_reason });
    const cancelled = await plan(customer, planId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.map((s) => s.status)).toEqual(['skipped']);
    expect((await recommendation(customer, 'EARLY')).status).toBe('discarded');

    // Its resource is free: a lower-ranked newcomer on db-4 is kept.
    const newcomer = await coordinate(customer, [rec({ id: 'LATE', affected_resources: ['db-4'], priority: 1 })], {
      auto_approve: true,
      execute_now: false,
    });
    expect(newcomer.status).toBe(200);
    expect(newcomer.body.not_kept).toEqual([]);
    expect(newcomer.body.recommendations.map((r) => r.id)).toEqual(['LATE']);

    const late = await execute(customer, planId);
    expect(late.status).toBe(409);
    expect(late.body.error).toContain(expired.status_reason!);
    expect(agentCalls(stack, planId)).toEqual([]);
  });
});

describe('§8 nothing left behind', () => {
  it("a superseded recommendation's plan says cancelled, every step skipped", { timeout: 60_000 }, async () => {
    const customer = await newCustomer(stack, 0);
    await coordinate(
      customer,
      [rec({ id: 'OLD', action: 'migrate_to_spot', affected_resources: ['i-8'], priority: 3 })],
      { auto_approve: true, execute_now: false },
    );
    const old = await recommendationWhen(customer, 'OLD', 'approved');
    const planId = old.plan_id!;
    expect((await plan(customer, planId)).steps.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);

    const better = await coordinate(customer, [rec({ id: 'NEW', affected_resources: ['i-8'], priority: 9 })], {
      auto_approve: true,
      execute_now: false,
    });
    expect(better.body.superseded).toEqual([{ id: 'OLD', superseded_by: 'NEW' }]);
    const cancelled = await eventually("OLD's plan to be cancelled", async () => {
      const current = await plan(customer, planId);
      return current.status === 'pending' ? undefined : current;
    });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.map((s) => `${s.action}: ${s.status}`)).toEqual([
      'take_snapshot: skipped',
      'migrate_workload: skipped',
      'validate_quality: skipped',
    ]);
    expect((await recommendation(customer, 'OLD')).status).toBe('superseded');
  });

  it('a rejected recommendation leaves no plan saying pending (a plan is made only once it is approved)', {
    timeout: 60_000,
  }, async () => {
    const customer = await newCustomer(stack, 1);
    const [alice] = customer.approvers;
    const reply = await coordinate(
      customer,
      [rec({ id: 'NO', action: 'migrate_to_spot', risk_level: 'medium', affected_resources: ['i-9'] })],
      { auto_approve: false, execute_now: false },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.execution_plans).toEqual([]);
    const rejected = await alice.client.call('POST', `/coordination/approvals/${reply.body.approvals[0].id}/reject`, {
      user_id: alice.email,
      reason: 'not now',
    });
    expect(rejected.status).toBe(200);
    const view = await recommendationWhen(customer, 'NO', 'rejected');
    expect(view.plan_id).toBeUndefined();
    expect(view.plan).toBeNull();
  });
});
