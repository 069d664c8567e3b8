// Issue 10 §3's leftover, end to end on the local stack: a plan whose first step's agent has its
// circuit open waits ("Agent unavailable") before taking its locks, not after; once the cool-down
// ends it takes them, its step is the half-open trial, and it completes (closing the circuit).
// GET /admin/agents/{agent_id} shows the circuit open, then closed.
import { describe, expect, it } from 'vitest';
import { arbiterClient, eventually } from '../../local/arbiter-client.js';
import { executeNow, executionStackForFile, finished, newCustomer, recommendation } from '../support/execution.js';
import { circuitAlerts, statesEntered } from './workflow-states.js';

const stack = executionStackForFile();

const AGENT = 'cost-agent-1';

describe('a plan whose agent is unavailable before it starts', () => {
  it('waits before taking its locks, then runs as the trial once the cool-down ends', async () => {
    const customer = await newCustomer(stack, 0);
    const admin = arbiterClient(stack.url, stack.adminKey);
    const policy = await admin.call('PUT', `/admin/customers/${customer.id}/policy`, {
      circuit_breaker: { failures: 2, cool_down_seconds: 5 },
    });
    expect(policy.status).toBe(200);

    // Two failed dispatches open the circuit.
    await executeNow(customer, [
      {
        id: 'rec-breaks',
        agent_id: AGENT,
        action: 'resize_disk',
        affected_resources: ['vol-a'],
        steps: [{ action: 'resize_disk', timeout_seconds: 3 }],
        parameters: { simulate: { transient_failures: 100 } },
      },
    ]);
    await eventually('the circuit to open', async () =>
      (await circuitAlerts(stack, customer.id)).includes('open') ? true : undefined,
    );

    // GET /admin/agents/{agent_id} shows it open, and until when.
    const open = await admin.call<{ circuit: { state: string; failures: number; cool_down_ends_at?: string } }>(
      'GET',
      `/admin/agents/${AGENT}?customer_id=${customer.id}`,
    );
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({
      agent_id: AGENT,
      customer_id: customer.id,
      circuit: { state: 'open', failures: 2 },
    });
    expect(JSON.stringify(open.body)).not.toContain('secret');
    expect(Date.parse(open.body.circuit.cool_down_ends_at!)).toBeGreaterThan(Date.now());

    await executeNow(customer, [
      {
        id: 'rec-waits',
        agent_id: AGENT,
        action: 'resize_disk',
        affected_resources: ['vol-b'],
        steps: [{ action: 'resize_disk', timeout_seconds: 30 }],
      },
    ]);
    await expect
      .poll(() => statesEntered(stack, customer.id, 'rec-waits'), { timeout: 10_000 })
      .toContain('Agent unavailable');
    // Held before the locks: not executing, its step never started, the history says why.
    const waiting = await recommendation(customer, 'rec-waits');
    expect(waiting.status).toBe('approved');
    expect(waiting.plan!.steps[0].status).toBe('pending');
    expect(waiting.history.map((h) => h.reason)).toContain(
      `waiting: agent ${AGENT} unavailable (circuit open), before taking locks`,
    );
    const before = statesEntered(stack, customer.id, 'rec-waits');
    expect(before.slice(0, before.indexOf('Agent unavailable') + 1)).toEqual([
      'Needs approval?',
      'Wait for dependencies',
      'Dependencies done?',
      'Acquire resource locks',
      'More steps?',
      'Agent unavailable',
    ]);

    const done = await finished(stack, customer, 'rec-waits', 30_000);
    expect(done.view.status).toBe('completed');
    expect(await circuitAlerts(stack, customer.id)).toEqual(['open', 'closed']);
    const closed = await admin.call<{ circuit: unknown }>('GET', `/admin/agents/${AGENT}?customer_id=${customer.id}`);
    expect(closed.body.circuit).toEqual({ state: 'closed', failures: 0 });
    const unknown = await admin.call('GET', `/admin/agents/no-such-agent?customer_id=${customer.id}`);
    expect(unknown.status).toBe(404);
  });
});
