// Pause/resume and change windows at execution (issue 9 §6, §7), end to end over HTTP on the local
// stack: a paused customer's plan waits in "Paused" before its locks and starts when resumed; a running
// one finishes the step in hand, then waits; a plan before its not_before, or inside a freeze added
// after approval, waits in "Waiting for change window" and then runs; one whose not_after passes
// first ends expired with the reason.
import { describe, expect, it } from 'vitest';
import {
  agentCalls,
  type Customer,
  coordinateApproved,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  recommendation,
  setPolicy,
  spotMigration,
} from '../support/execution.js';
import { recommendationWhen } from './approval-setup.js';
import { statesEntered } from './workflow-states.js';

const stack = executionStackForFile();

const inState = (customer: Customer, id: string, state: string) =>
  expect.poll(() => statesEntered(stack, customer.id, id), { timeout: 15_000 }).toContain(state);

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('pausing a customer', () => {
  it('holds a plan before its locks ("Paused") and starts it when resumed', async () => {
    const customer = await newCustomer(stack, 0);
    await setPolicy(stack, customer, { paused: true });
    await executeNow(customer, [{ id: 'rec-held', affected_resources: ['vm-held'] }]);
    await inState(customer, 'rec-held', 'Paused');
    const waiting = await recommendation(customer, 'rec-held');
    expect(waiting.status).toBe('approved');
    expect(waiting.history.map((h) => h.reason)).toContain('paused: the customer is paused; it starts when resumed');
    expect(statesEntered(stack, customer.id, 'rec-held')).not.toContain('Run step');
    expect(agentCalls(stack, waiting.plan_id!)).toEqual([]);

    // The resume wakes it (the safety-net look is an hour away): it runs to the end.
    await setPolicy(stack, customer, { paused: false });
    const done = await finished(stack, customer, 'rec-held', 15_000);
    expect(done.view.status).toBe('completed');
    const states = statesEntered(stack, customer.id, 'rec-held');
    expect(states.slice(states.indexOf('Paused'))).toEqual(
      expect.arrayContaining(['Resumed', 'Acquire resource locks', 'Run step']),
    );
  });

  it('lets a running plan finish the step in hand, then waits before the next step until resumed', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [spotMigration('rec-running', { delay_ms: 1500 })]);
    const running = await recommendationWhen(customer, 'rec-running', 'executing');
    await expect
      .poll(() => agentCalls(stack, running.plan_id!), { timeout: 15_000 })
      .toEqual(['execute take_snapshot']);
    await setPolicy(stack, customer, { paused: true });

    await inState(customer, 'rec-running', 'Paused');
    const held = await recommendation(customer, 'rec-running');
    expect(held.plan!.steps.map((s) => s.status)).toEqual(['completed', 'pending', 'pending']);
    expect(agentCalls(stack, running.plan_id!)).toEqual(['execute take_snapshot']);

    await setPolicy(stack, customer, { paused: false });
    const done = await finished(stack, customer, 'rec-running', 20_000);
    expect(done.view.status).toBe('completed');
    expect(agentCalls(stack, done.plan.id)).toEqual([
      'execute take_snapshot',
      'execute migrate_workload',
      'execute validate_quality',
    ]);
  });
});

describe('change windows at execution', () => {
  it('waits for not_before ("Waiting for change window"), then runs', async () => {
    const customer = await newCustomer(stack, 0);
    const notBefore = inSeconds(4);
    await executeNow(customer, [
      { id: 'rec-later', affected_resources: ['vm-later'], window: { not_before: notBefore } },
    ]);
    await inState(customer, 'rec-later', 'Waiting for change window');
    expect(statesEntered(stack, customer.id, 'rec-later')).not.toContain('Run step');

    const done = await finished(stack, customer, 'rec-later', 20_000);
    expect(done.view.status).toBe('completed');
    expect(Date.parse(done.plan.steps[0].started_at!)).toBeGreaterThanOrEqual(Date.parse(notBefore));
    expect(done.view.history.map((h) => h.reason)).toContain(`waiting for change window: not before ${notBefore}`);
  });

  it('holds an approved plan inside a freeze added after its approval, then runs it when the freeze ends', async () => {
    const customer = await newCustomer(stack, 0);
    await coordinateApproved(customer, [{ id: 'rec-frozen', affected_resources: ['vm-frozen'] }], false);
    const approved = await recommendationWhen(customer, 'rec-frozen', 'approved');
    const freezeEnd = inSeconds(4);
    await setPolicy(stack, customer, {
      freeze_windows: [{ name: 'release-day', start: inSeconds(-60), end: freezeEnd }],
    });

    const execute = await customer.agent.call('POST', `/coordination/plans/${approved.plan_id}/execute`);
    expect(execute.status).toBe(202);
    await inState(customer, 'rec-frozen', 'Waiting for change window');
    const done = await finished(stack, customer, 'rec-frozen', 20_000);
    expect(done.view.status).toBe('completed');
    expect(Date.parse(done.plan.steps[0].started_at!)).toBeGreaterThanOrEqual(Date.parse(freezeEnd));
    expect(done.view.history.map((h) => h.reason)).toContain(
      `waiting for change window: freeze release-day until ${freezeEnd}`,
    );
  });

  it('ends expired, with the reason, when not_after passes before the plan could start', async () => {
    const customer = await newCustomer(stack, 0);
    const notAfter = inSeconds(3);
    await coordinateApproved(
      customer,
      [{ id: 'rec-missed', affected_resources: ['vm-missed'], window: { not_after: notAfter } }],
      false,
    );
    const approved = await recommendationWhen(customer, 'rec-missed', 'approved');
    // A freeze that outlasts its window, added after approval.
    await setPolicy(stack, customer, {
      freeze_windows: [{ name: 'incident', start: inSeconds(-60), end: inSeconds(600) }],
    });
    expect((await customer.agent.call('POST', `/coordination/plans/${approved.plan_id}/execute`)).status).toBe(202);

    await inState(customer, 'rec-missed', 'Waiting for change window');
    const done = await finished(stack, customer, 'rec-missed', 20_000);
    expect(done.view.status).toBe('expired');
    expect(done.view.status_reason).toBe(`expired: its window closed at ${notAfter} before the plan could start`);
    expect(done.plan.status).toBe('cancelled');
    expect(agentCalls(stack, done.plan.id)).toEqual([]);
    expect(statesEntered(stack, customer.id, 'rec-missed')).not.toContain('Run step');
  });
});
