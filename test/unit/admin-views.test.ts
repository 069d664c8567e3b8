// The admin routes' use cases: an agent as registered with its circuit (never its secrets), and a
// customer's policy read and set (setting it resumed wakes the paused plans at once).
import { describe, expect, it } from 'vitest';
import { InvalidInput, NotFound } from '../../functions/core/model/errors.js';
import { PolicyInput } from '../../functions/core/model/inputs.js';
import { DEFAULT_POLICY } from '../../functions/core/rules/policy.js';
import { setPolicy, viewPolicy } from '../../functions/core/use-cases/customer-policy.js';
import { PAUSE_QUEUE } from '../../functions/core/use-cases/execution-hold.js';
import { viewAgent } from '../../functions/core/use-cases/view-agent.js';
import { PolicyDocument } from '../../functions/shared/routes.js';
import { NOW } from './fixtures.js';
import { CUSTOMER, fixedClock, memoryCircuits, memoryPauseQueue, memoryPolicies } from './in-memory-ports.js';

const agent = {
  agent_id: 'cost-agent-1',
  customer_id: CUSTOMER,
  signing_secret: 'sealed-secret',
  previous_signing_secret: 'sealed-old',
  created_at: NOW.toISOString(),
};

describe('viewAgent', () => {
  const openedAt = new Date(NOW.getTime() - 60_000).toISOString();
  const deps = (registered: typeof agent | undefined) => ({
    agents: {
      ...memoryCircuits({ 'cost-agent-1': { state: 'open', failures: 5, opened_at: openedAt } }),
      getAgent: async () => registered,
    },
    policies: memoryPolicies({ circuit_breaker: { failures: 5, cool_down_seconds: 120 } }),
    clock: fixedClock(),
  });

  it('shows the registration without its secrets, and the circuit with the end of its cool-down', async () => {
    const view = await viewAgent(CUSTOMER, 'cost-agent-1', deps(agent));
    expect(view).toEqual({
      agent_id: 'cost-agent-1',
      customer_id: CUSTOMER,
      role: 'agent',
      created_at: NOW.toISOString(),
      circuit: {
        state: 'open',
        failures: 5,
        opened_at: openedAt,
        cool_down_ends_at: new Date(NOW.getTime() + 60_000).toISOString(),
      },
    });
    expect(JSON.stringify(view)).not.toContain('secret');
  });

  it('an agent not registered to the customer is NotFound', async () => {
    await expect(viewAgent(CUSTOMER, 'cost-agent-1', deps(undefined))).rejects.toThrow(NotFound);
  });
});

describe('viewPolicy and setPolicy', () => {
  const waiter = { resource: PAUSE_QUEUE, recommendation_id: 'rec-1', since: NOW.toISOString(), task_token: 't1' };

  it('with none set: the defaults, not customized', async () => {
    expect(await viewPolicy(CUSTOMER, { policies: memoryPolicies() })).toEqual({
      customer_id: CUSTOMER,
      ...DEFAULT_POLICY,
      customized: false,
    });
  });

  it('stores the document GET returns without its read-only fields, and wakes the paused plans', async () => {
    const policies = memoryPolicies({ paused: true });
    const queue = memoryPauseQueue([waiter]);
    const { policy, resumed } = await setPolicy(
      CUSTOMER,
      PolicyDocument.parse({ customer_id: CUSTOMER, customized: true, paused: false, max_parallel_steps: 3 }),
      { policies, ...queue },
    );
    expect(policies.calls.putPolicy).toEqual([PolicyInput.parse({ paused: false, max_parallel_steps: 3 })]);
    expect(policy).toMatchObject({ customer_id: CUSTOMER, paused: false, max_parallel_steps: 3, customized: true });
    expect(resumed).toBe(1);
    expect(queue.completed).toEqual(['t1']);
  });

  it('pausing wakes nobody', async () => {
    const queue = memoryPauseQueue([waiter]);
    const { resumed } = await setPolicy(CUSTOMER, PolicyDocument.parse({ paused: true }), {
      policies: memoryPolicies(),
      ...queue,
    });
    expect(resumed).toBe(0);
    expect(queue.completed).toEqual([]);
  });

  it('refuses a document naming another customer, naming the field, and stores nothing', async () => {
    const policies = memoryPolicies();
    const error = await setPolicy(CUSTOMER, PolicyDocument.parse({ customer_id: 'customer-2' }), {
      policies,
      ...memoryPauseQueue([]),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).details).toEqual([expect.objectContaining({ field: 'customer_id' })]);
    expect(policies.calls.putPolicy).toEqual([]);
  });
});
