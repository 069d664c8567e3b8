// Asking for an approved plan's execution over HTTP (POST /coordination/plans/{id}/execute), and
// reading it back (GET /coordination/plans/{id}), with the real workflow on the local stack.
import { describe, expect, it } from 'vitest';
import type { ExecutionPlan } from '../../functions/core/model/records.js';
import { eventually } from '../../local/arbiter-client.js';
import { coordinateRisky, recommendationWhen, workflowPathTo } from '../e2e/approval-setup.js';
import {
  type Customer,
  coordinateApproved,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  recommendation,
  spotMigration,
} from '../support/execution.js';

const stack = executionStackForFile();

/** A low-risk recommendation approved by policy, its plan waiting to be asked for; gives the plan's id. */
async function approvedLater(customer: Customer, id: string): Promise<string> {
  expect((await coordinateApproved(customer, [spotMigration(id)], false)).execution_plans).toEqual([]);
  const view = await recommendation(customer, id);
  expect(view).toMatchObject({ status: 'approved', plan: { status: 'pending' } });
  return view.plan!.id;
}

const execute = (customer: Customer, planId: string) =>
  customer.agent.call('POST', `/coordination/plans/${planId}/execute`);

function planWhen(customer: Customer, planId: string, status: string): Promise<ExecutionPlan> {
  return eventually(`plan ${planId} to be ${status}`, async () => {
    const reply = await customer.agent.call<ExecutionPlan>('GET', `/coordination/plans/${planId}`);
    expect(reply.status).toBe(200);
    return reply.body.status === status ? reply.body : undefined;
  });
}

describe('POST /coordination/plans/{id}/execute', () => {
  it('202 for an approved plan waiting to be executed; the plan then runs and GET shows each step with its result and duration', async () => {
    const customer = await newCustomer(stack, 0);
    const planId = await approvedLater(customer, 'rec-later');
    await workflowPathTo(stack, customer.id, 'rec-later', 'Wait for execution request');

    expect(await execute(customer, planId)).toEqual({
      status: 202,
      body: { message: 'Execution started', plan_id: planId },
    });

    const plan = await planWhen(customer, planId, 'completed');
    expect(plan.steps.map((s) => [s.action, s.status])).toEqual([
      ['take_snapshot', 'completed'],
      ['migrate_workload', 'completed'],
      ['validate_quality', 'completed'],
    ]);
    for (const step of plan.steps) {
      expect(step.result).toEqual(expect.any(Object));
      expect(step.duration_ms).toBe(Date.parse(step.completed_at!) - Date.parse(step.started_at!));
    }
    expect(JSON.stringify(plan)).not.toMatch(/task_token|execution_token/);
    expect((await recommendation(customer, 'rec-later')).status).toBe('completed');
    expect(await execute(customer, planId)).toMatchObject({ status: 409 });
  });

  it('a request made before the workflow waits for it is not lost', async () => {
    const customer = await newCustomer(stack, 0);
    const planId = await approvedLater(customer, 'rec-early');
    expect((await execute(customer, planId)).status).toBe(202);
    expect((await finished(stack, customer, 'rec-early')).view.status).toBe('completed');
  });

  it('409 while the plan runs, and for a plan that was started with execute_now', async () => {
    const customer = await newCustomer(stack, 0);
    const coordination = await executeNow(customer, [
      {
        id: 'rec-now',
        action: 'resize_disk',
        affected_resources: ['vol-now'],
        parameters: { simulate: { delay_ms: 500 } },
      },
    ]);
    const planId = coordination.execution_plans[0].id;
    expect(await execute(customer, planId)).toMatchObject({ status: 409, body: { error: expect.any(String) } });
    await recommendationWhen(customer, 'rec-now', 'executing');
    expect((await execute(customer, planId)).status).toBe(409);
    expect((await finished(stack, customer, 'rec-now')).view.status).toBe('completed');
  });

  it('409 until the approver approves; then 202 and the plan runs', async () => {
    const customer = await newCustomer(stack, 1);
    const approvalId = await coordinateRisky(customer, {
      id: 'rec-risky',
      action: 'resize_disk',
      affected_resources: ['vol-risky'],
    });
    expect((await recommendation(customer, 'rec-risky')).plan).toBeNull();

    const [approver] = customer.approvers;
    const decision = await approver.client.call('POST', `/coordination/approvals/${approvalId}/approve`, {
      user_id: approver.email,
    });
    expect(decision.status).toBe(200);
    const { plan } = await recommendationWhen(customer, 'rec-risky', 'approved');
    expect((await approver.client.call('POST', `/coordination/plans/${plan!.id}/execute`)).status).toBe(403);

    expect((await execute(customer, plan!.id)).status).toBe(202);
    expect((await planWhen(customer, plan!.id, 'completed')).steps.map((s) => s.status)).toEqual(['completed']);
  });

  it("404 for an unknown plan and for another customer's plan", async () => {
    const customer = await newCustomer(stack, 0);
    const other = await newCustomer(stack, 0);
    const planId = await approvedLater(customer, 'rec-mine');

    expect(await execute(customer, 'plan_nope')).toMatchObject({ status: 404, body: { error: 'Plan not found' } });
    expect((await execute(other, planId)).status).toBe(404);
    expect((await other.agent.call('GET', `/coordination/plans/${planId}`)).status).toBe(404);
    expect((await recommendation(customer, 'rec-mine')).status).toBe('approved');
  });
});
