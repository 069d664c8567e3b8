// A recommendation that ends before it ran, over HTTP on the local stack. Dependents follow it at
// once (issue 13 §6, the workflow's side: the approval gate and coordinate cover what they end): D
// waits for approval and depends on A, approved but never run; A expires, and D is cancelled with
// the true reason right away (not at the hourly safety net), its approval withdrawn and gone from
// the approvals list, its workflow ended. Losers get a second chance (§5) when the one that
// beat them expires unapproved.
import { describe, expect, it } from 'vitest';
import type { Approval, CoordinationResponse } from '../../functions/core/model/records.js';
import { eventually } from '../../local/arbiter-client.js';
import { buildLambdaContext } from '../../local/proxy-event.js';
import { importHandler } from '../../local/step-functions/task-overrides.js';
import { rec } from '../support/fixtures.js';
import { stackForFile } from '../support/local-stack.js';
import { newCustomer, recommendation, recommendationWhen } from './approval-setup.js';

const stack = stackForFile();

/** What EventBridge's schedule does on AWS, once the deadline has passed (a condition on the clock). */
async function reconcileAfter(deadline: string): Promise<void> {
  await eventually('the deadline to pass', async () => (Date.now() > Date.parse(deadline) ? true : undefined));
  const reconciler = await importHandler('reconciler');
  await reconciler({ min_age_seconds: 0 }, buildLambdaContext('arbiter-reconciler', 60_000));
}

describe('a dependent waiting for approval', () => {
  it('is cancelled at once when its dependency expires unstarted in the workflow, its approval withdrawn', {
    timeout: 60_000,
  }, async () => {
    const customer = await newCustomer(stack, 1);
    const [approver] = customer.approvers;
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    // A is approved at once but nobody asks to run it; D needs a person's approval.
    const reply = await customer.agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: customer.id,
      recommendations: [
        rec({ id: 'dep-a', affected_resources: ['vol-a'], expires_at: expiresAt }),
        rec({ id: 'dep-d', risk_level: 'medium', affected_resources: ['vol-d'], dependencies: ['dep-a'] }),
      ],
      auto_approve: true,
      execute_now: false,
    });
    const approvalD = reply.body.approvals.find((a) => a.recommendation_id === 'dep-d')!.id;
    const listed = async () =>
      (
        await approver.client.call<{ approvals: Approval[] }>(
          'GET',
          `/coordination/approvals?customer_id=${customer.id}`,
        )
      ).body.approvals.map((a) => a.id);
    expect(await listed()).toEqual([approvalD]);

    await reconcileAfter(expiresAt);
    await recommendationWhen(customer, 'dep-a', 'expired');
    const d = await recommendationWhen(customer, 'dep-d', 'cancelled');
    expect(d.history.at(-1)).toMatchObject({ status: 'cancelled', reason: 'dependency dep-a was expired' });
    expect(d.approval?.status).toBe('cancelled');
    expect(await listed()).toEqual([]);
    // Its workflow did not stay waiting for a decision.
    await eventually("dep-d's workflow to end", async () => {
      const execution = stack.stepFunctions.executions.list().find((e) => e.name.includes('dep-d'));
      return execution && execution.status !== 'RUNNING' ? execution : undefined;
    });
  });
});

describe('a discarded loser', () => {
  it('comes back when the recommendation that beat it expires before anyone asked to run it', {
    timeout: 60_000,
  }, async () => {
    const customer = await newCustomer(stack, 0);
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    const reply = await customer.agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: customer.id,
      recommendations: [
        rec({ id: 'W', affected_resources: ['db-1'], priority: 9, expires_at: expiresAt }),
        rec({ id: 'L', affected_resources: ['db-1'], priority: 3 }),
      ],
      auto_approve: true,
      execute_now: false,
    });
    expect(reply.body.not_kept).toEqual([expect.objectContaining({ id: 'L', status: 'discarded', resolved_by: 'W' })]);
    await recommendationWhen(customer, 'W', 'approved');
    // Past W's expires_at, the scheduled reconciler ends it unstarted.
    await reconcileAfter(expiresAt);
    await recommendationWhen(customer, 'W', 'expired');
    const l = await eventually('L to come back', async () => {
      const view = await recommendation(customer, 'L');
      return view.status === 'discarded' ? undefined : view;
    });
    expect(l.status).toBe('approved');
    expect(l.history.at(-1)?.reason).toMatch(/^revived: W was expired;/);
  });
});
