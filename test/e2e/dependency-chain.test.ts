// A chain A→B→C of one-step plans on the local stack, with the real ASL (no shortened poll): each
// dependent is woken by its dependency's outcome and runs after it. How fast: bench/chain.bench.ts.
import { describe, expect, it } from 'vitest';
import { executeNow, executionStackForFile, finished, newCustomer } from '../support/execution.js';

const stack = executionStackForFile();

describe('a dependency chain', () => {
  it('A→B→C completes, each plan starting after the one it depends on completed', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [
      { id: 'chain-c', action: 'resize_disk', affected_resources: ['vol-c'], dependencies: ['chain-b'] },
      { id: 'chain-b', action: 'resize_disk', affected_resources: ['vol-b'], dependencies: ['chain-a'] },
      { id: 'chain-a', action: 'resize_disk', affected_resources: ['vol-a'] },
    ]);
    const [a, b, c] = await Promise.all(['chain-a', 'chain-b', 'chain-c'].map((id) => finished(stack, customer, id)));
    expect([a.view.status, b.view.status, c.view.status]).toEqual(['completed', 'completed', 'completed']);
    expect(Date.parse(b.plan.steps[0].started_at!)).toBeGreaterThanOrEqual(Date.parse(a.plan.completed_at!));
    expect(Date.parse(c.plan.steps[0].started_at!)).toBeGreaterThanOrEqual(Date.parse(b.plan.completed_at!));
    // Woken, not polled: each dependent waited on a task token and never timed out into the poll.
    for (const id of ['chain-b', 'chain-c']) {
      const execution = stack.stepFunctions.executions.list().find((e) => e.name.includes(id))!;
      expect(execution.history.some((e) => e.type === 'TaskTimedOut')).toBe(false);
    }
  });
});
