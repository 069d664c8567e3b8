// Dependents follow their dependency at once (issue 13 §6), over HTTP on the local stack: D depends
// on A and both wait for approval; A is rejected, and D is cancelled with the true reason right
// away (not at the hourly safety net), its approval withdrawn and gone from the approvals list,
// its workflow ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '../../functions/core/model.js';
import { eventually } from '../../local/arbiter-client.js';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack } from '../support/local-stack.js';
import { coordinateRisky, newCustomer, recommendation, recommendationWhen } from './approval-setup.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('a dependent waiting for approval', () => {
  it('is cancelled at once when its dependency is rejected, its approval withdrawn', { timeout: 60_000 }, async () => {
    const customer = await newCustomer(stack, 1);
    const [approver] = customer.approvers;
    const approvalA = await coordinateRisky(customer, { id: 'dep-a', affected_resources: ['vol-a'] });
    const approvalD = await coordinateRisky(customer, { id: 'dep-d', affected_resources: ['vol-d'], dependencies: ['dep-a'] });
    const listed = async () => (await approver.client.call<{ approvals: Approval[] }>('GET', `/coordination/approvals?customer_id=${customer.id}`)).body.approvals.map((a) => a.id);
    expect((await listed()).sort()).toEqual([approvalA, approvalD].sort());

    const rejected = await approver.client.call('POST', `/coordination/approvals/${approvalA}/reject`, { user_id: approver.email, reason: 'not now' });
    expect(rejected.status).toBe(200);

    const d = await recommendationWhen(customer, 'dep-d', 'cancelled');
    expect(d.history.at(-1)).toMatchObject({ status: 'cancelled', reason: 'dependency dep-a was rejected' });
    expect(d.approval?.status).toBe('cancelled');
    expect(await listed()).toEqual([]);
    // Its workflow did not stay waiting for a decision.
    await eventually('dep-d\'s workflow to end', async () => {
      const execution = stack.stepFunctions.executions.list().find((e) => e.name.includes('dep-d'));
      return execution && execution.status !== 'RUNNING' ? execution : undefined;
    });
    expect((await recommendation(customer, 'dep-a')).status).toBe('rejected');
  });
});
