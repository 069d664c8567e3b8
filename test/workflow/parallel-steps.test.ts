// Plans as graphs with the real workflow, handlers, DynamoDB Local and simulated agents: A, then B
// and C side by side, then D; a critical failure of C lets B finish and rolls back B and A.
import { describe, expect, it } from 'vitest';
import type { ExecutionPlan } from '../../functions/core/model/records.js';
import { arbiterClient } from '../../local/arbiter-client.js';
import {
  agentCalls,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  stepStatuses,
} from '../support/execution.js';

const stack = executionStackForFile();

const diamond = (simulate: Record<string, unknown>) => ({
  action: 'tune_cluster',
  parameters: { simulate: { delay_ms: 400, ...simulate } },
  steps: [
    { action: 'step_a', reversible: true },
    { action: 'step_b', reversible: true, after: [0] },
    { action: 'step_c', reversible: true, after: [0] },
    { action: 'step_d', reversible: true, after: [1, 2] },
  ],
});

const at = (plan: ExecutionPlan, i: number, field: 'started_at' | 'completed_at') =>
  Date.parse(plan.steps[i][field] ?? 'NaN');

describe('a plan of A, then B and C in parallel, then D', () => {
  it('runs B and C at the same time, after A and before D', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [{ id: 'rec-diamond', affected_resources: ['db-1'], ...diamond({}) }]);
    const run = await finished(stack, customer, 'rec-diamond');

    expect(run.lastState).toBe('Completed');
    expect(stepStatuses(run.plan)).toEqual([
      'step_a: completed',
      'step_b: completed',
      'step_c: completed',
      'step_d: completed',
    ]);
    const { plan } = run;
    // B and C overlap: each started before the other completed.
    expect(at(plan, 1, 'started_at')).toBeLessThan(at(plan, 2, 'completed_at'));
    expect(at(plan, 2, 'started_at')).toBeLessThan(at(plan, 1, 'completed_at'));
    expect(at(plan, 1, 'started_at')).toBeGreaterThanOrEqual(at(plan, 0, 'completed_at'));
    expect(at(plan, 3, 'started_at')).toBeGreaterThanOrEqual(
      Math.max(at(plan, 1, 'completed_at'), at(plan, 2, 'completed_at')),
    );
  });

  it('a critical failure of C lets B finish, dispatches no D, and rolls back B then A (reverse order of completion)', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [
      { id: 'rec-diamond-c', affected_resources: ['db-2'], ...diamond({ fail_steps: ['step_c'] }) },
    ]);
    const run = await finished(stack, customer, 'rec-diamond-c');

    expect([run.status, run.lastState]).toEqual(['FAILED', 'Rolled back']);
    expect(stepStatuses(run.plan)).toEqual([
      'step_a: rolled_back',
      'step_b: rolled_back',
      'step_c: failed',
      'step_d: skipped',
    ]);
    const calls = agentCalls(stack, run.plan.id);
    expect(calls.slice(0, 1)).toEqual(['execute step_a']);
    expect([...calls.slice(1, 3)].sort()).toEqual(['execute step_b', 'execute step_c']);
    expect(calls.slice(3)).toEqual(['rollback step_b', 'rollback step_a']);
    expect(run.view.status).toBe('rolled_back');
  });

  it('with max_parallel_steps 1 the same plan runs one step at a time', async () => {
    const customer = await newCustomer(stack, 0);
    const admin = arbiterClient(stack.url, stack.adminKey);
    const policy = await admin.call('PUT', `/admin/customers/${customer.id}/policy`, { max_parallel_steps: 1 });
    expect(policy.status).toBe(200);
    await executeNow(customer, [{ id: 'rec-diamond-1', affected_resources: ['db-3'], ...diamond({ delay_ms: 100 }) }]);
    const { plan, lastState } = await finished(stack, customer, 'rec-diamond-1');

    expect(lastState).toBe('Completed');
    const b = [at(plan, 1, 'started_at'), at(plan, 1, 'completed_at')];
    const c = [at(plan, 2, 'started_at'), at(plan, 2, 'completed_at')];
    expect(b[0] >= c[1] || c[0] >= b[1]).toBe(true);
  });
});
