// Circuit breakers around agents, end to end on the local stack: an agent that keeps failing opens
// its circuit after N failures, its steps wait ("Agent unavailable") instead of burning retries and
// give up after their own timeout; a recovered agent closes it; each change alerts operators once.
import { describe, expect, it } from 'vitest';
import { arbiterClient } from '../../local/arbiter-client.js';
import { agentCalls, executeNow, executionStackForFile, finished, newCustomer } from '../support/execution.js';
import { circuitAlerts, statesEntered } from './workflow-states.js';

const stack = executionStackForFile();

const AGENT = 'cost-agent-1';

describe('an agent that keeps failing', () => {
  it('opens its circuit after N failures; its step waits, then gives up after its timeout; a recovered agent closes it', async () => {
    const customer = await newCustomer(stack, 0);
    const admin = arbiterClient(stack.url, stack.adminKey);
    const policy = await admin.call('PUT', `/admin/customers/${customer.id}/policy`, {
      circuit_breaker: { failures: 3, cool_down_seconds: 2 },
    });
    expect(policy.status).toBe(200);

    // Every dispatch of this plan's step answers 503.
    await executeNow(customer, [
      {
        id: 'rec-down',
        agent_id: AGENT,
        action: 'resize_disk',
        affected_resources: ['vol-down'],
        steps: [{ action: 'resize_disk', timeout_seconds: 6 }],
        parameters: { simulate: { transient_failures: 100 } },
      },
    ]);
    const down = await finished(stack, customer, 'rec-down', 60_000);

    expect(down.view.status).toBe('failed');
    expect(down.plan.steps[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('AgentUnavailable') });
    expect(down.view.history.map((h) => h.reason)).toContain(
      `step 1 resize_disk waits: agent ${AGENT} unavailable (circuit open)`,
    );
    // The console shows the wait, step by step.
    expect(statesEntered(stack, customer.id, 'rec-down')).toContain('Agent unavailable');
    // Three failures opened it; after that only the half-open trials (one per 2 s cool-down over 6 s) reached the agent,
    // where the step's retries alone (3 attempts, then 3 retries per "Run step") would have kept calling.
    const calls = agentCalls(stack, down.plan.id).length;
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(calls).toBeLessThanOrEqual(3 + 4);
    expect(await circuitAlerts(stack, customer.id)).toEqual(['open']);

    // The agent recovers: the next plan for it gets through (after the cool-down, as the trial) and closes the circuit.
    await executeNow(customer, [
      {
        id: 'rec-up',
        agent_id: AGENT,
        action: 'resize_disk',
        affected_resources: ['vol-up'],
        steps: [{ action: 'resize_disk', timeout_seconds: 30 }],
      },
    ]);
    const up = await finished(stack, customer, 'rec-up', 60_000);
    expect(up.view.status).toBe('completed');
    expect(await circuitAlerts(stack, customer.id)).toEqual(['open', 'closed']);
  });
});
