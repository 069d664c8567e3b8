// State transitions per lifecycle, on the real ASL with the real handlers (local stack): the states
// each execution entered, as Step Functions bills them. (a) low risk, execute_now, 3 steps that
// succeed; (b) medium risk with one approval, 3 steps; (c) step 2 fails and step 1 is rolled back.
// Cost per 1,000 recommendations: BENCHMARKS.md (bench/transitions.bench.ts prints the table).
import { describe, expect, it } from 'vitest';
import { executionName } from '../../functions/core/ports/workflow.js';
import { type Customer, coordinateRisky, newCustomer } from '../e2e/approval-setup.js';
import { executeNow, executionStackForFile, finished, spotMigration } from '../support/execution.js';

const stack = executionStackForFile();

function statesEntered(customer: Customer, id: string): string[] {
  const execution = stack.stepFunctions.executions.find(
    stack.stepFunctions.executions.executionArn(executionName(customer.id, id)),
  )!;
  return execution.history.flatMap((event) => {
    const details = event.stateEnteredEventDetails as { name: string } | undefined;
    return details ? [details.name] : [];
  });
}

describe('state transitions per lifecycle', () => {
  it('(a) low risk, execute_now, 3 steps that succeed: at most 15 states, each step its own "Run step"', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [spotMigration('rec-a')]);
    expect((await finished(stack, customer, 'rec-a')).view.status).toBe('completed');
    const states = statesEntered(customer, 'rec-a');
    expect(states.length).toBeLessThanOrEqual(15);
    expect(states.filter((s) => s === 'Run step')).toHaveLength(3);
    expect(states).toEqual([
      'Needs approval?',
      'Wait for dependencies',
      'Dependencies done?',
      'Acquire resource locks',
      'More steps?',
      'Run step',
      'More steps?',
      'Run step',
      'More steps?',
      'Run step',
      'More steps?',
      'Release locks and record completion',
      'Completed',
    ]);
  });

  it('(b) medium risk with one approval: the approval adds "Request approval" and "Approved"', async () => {
    const customer = await newCustomer(stack, 1);
    const approvalId = await coordinateRisky(customer, { ...spotMigration('rec-b'), id: 'rec-b' } as never);
    const [approver] = customer.approvers;
    expect(
      (
        await approver.client.call('POST', `/coordination/approvals/${approvalId}/approve`, {
          user_id: approver.approver_id,
        })
      ).status,
    ).toBe(200);
    const view = (await customer.agent.call<{ plan: { id: string } }>('GET', '/coordination/recommendations/rec-b'))
      .body;
    expect((await customer.agent.call('POST', `/coordination/plans/${view.plan.id}/execute`)).status).toBe(202);
    expect((await finished(stack, customer, 'rec-b')).view.status).toBe('completed');
    const states = statesEntered(customer, 'rec-b');
    expect(states.slice(0, 4)).toEqual([
      'Needs approval?',
      'Request approval',
      'Approved',
      'Wait for execution request',
    ]);
    expect(states.length).toBe(16);
  });

  it('(c) step 2 fails, step 1 is rolled back', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [spotMigration('rec-c', { fail_steps: ['migrate_workload'] })]);
    expect((await finished(stack, customer, 'rec-c')).view.status).toBe('rolled_back');
    const states = statesEntered(customer, 'rec-c');
    expect(states.filter((s) => s === 'Run step')).toHaveLength(2);
    expect(states.filter((s) => s === 'Roll back step')).toHaveLength(1);
    expect(states.length).toBe(20);
  });
});
