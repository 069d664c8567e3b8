// Issue 13's coordination cases end to end over HTTP on the local stack (real handlers, ASL,
// DynamoDB Local): expiry caps the approval (§1), a dependency shares its resource (§2), losers come
// back and resubmissions are honest (§5), dependents follow their dependencies at once (§6).
import { describe, expect, it } from 'vitest';
import type { Approval, CoordinationResponse } from '../../functions/core/model/records.js';
import { executionStackForFile } from '../support/execution.js';
import { rec } from '../support/fixtures.js';
import {
  type Customer,
  newCustomer,
  recommendation,
  recommendationWhen,
  reviewLink,
  workflowEnd,
} from './approval-setup.js';

const stack = executionStackForFile();

const coordinate = (
  customer: Customer,
  recommendations: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) =>
  customer.agent.call<CoordinationResponse & { error?: string }>('POST', '/coordination/coordinate', {
    customer_id: customer.id,
    recommendations,
    ...extra,
  });

describe('§1 expires_at bounds the approval', () => {
  it('a medium-risk recommendation expiring in 2 s gets a 2 s deadline, and approving after it answers 410', async () => {
    const customer = await newCustomer(stack, 1);
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    const reply = await coordinate(customer, [rec({ id: 'brief', risk_level: 'medium', expires_at: expiresAt })]);
    const [approval] = reply.body.approvals;
    expect(Date.parse(approval.expires_at)).toBe(Date.parse(expiresAt));
    const [alice] = customer.approvers;
    const decide = () =>
      alice.client.call<{ error: string }>('POST', `/coordination/approvals/${approval.id}/approve`, {
        user_id: alice.email,
      });
    // Wait for the deadline itself (a condition on the clock, not a guess): then the decision is refused.
    await new Promise<void>((resolve) => {
      const check = () => (Date.now() > Date.parse(expiresAt) ? resolve() : setTimeout(check, 50));
      check();
    });
    const late = await decide();
    expect(late.status).toBe(410);
    expect((await recommendation(customer, 'brief')).status).not.toBe('approved');
  });
});

describe('§2 a dependent may share its resource with its dependency', () => {
  it.each([9, 1])(
    'SNAP then MIG on i-1 (MIG priority %i): both kept, no conflict, and they run in order',
    async (migPriority) => {
      const customer = await newCustomer(stack, 0);
      const reply = await coordinate(
        customer,
        [
          rec({
            id: 'MIG',
            action: 'migrate_to_spot',
            affected_resources: ['i-1'],
            dependencies: ['SNAP'],
            priority: migPriority,
          }),
          rec({ id: 'SNAP', action: 'take_snapshot', affected_resources: ['i-1'], priority: 5 }),
        ],
        { auto_approve: true, execute_now: true },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.recommendations.map((r) => r.id).sort()).toEqual(['MIG', 'SNAP']);
      expect(reply.body.conflicts).toEqual([]);
      const [snap, mig] = [
        await recommendationWhen(customer, 'SNAP', 'completed'),
        await recommendationWhen(customer, 'MIG', 'completed'),
      ];
      expect(Date.parse(mig.plan!.started_at!)).toBeGreaterThanOrEqual(Date.parse(snap.plan!.completed_at!));
    },
  );
});

describe('§5 losers come back, resubmissions are honest, people approvals hold', () => {
  it('W beat L on db-1; W is rejected; L comes back with "revived: W was rejected"', async () => {
    const customer = await newCustomer(stack, 1);
    const reply = await coordinate(customer, [
      rec({ id: 'W', risk_level: 'high', affected_resources: ['db-1'], priority: 9 }),
      rec({ id: 'L', risk_level: 'medium', affected_resources: ['db-1'], priority: 3 }),
    ]);
    expect(reply.body.not_kept).toEqual([expect.objectContaining({ id: 'L', status: 'discarded', resolved_by: 'W' })]);
    const [alice] = customer.approvers;
    const w = reply.body.approvals.find((a: Approval) => a.recommendation_id === 'W')!;
    expect(
      (
        await alice.client.call('POST', `/coordination/approvals/${w.id}/reject`, {
          user_id: alice.email,
          reason: 'not this quarter',
        })
      ).status,
    ).toBe(200);
    const l = await recommendation(customer, 'L');
    expect(l).toMatchObject({ status: 'pending_approval', approval: { status: 'pending' } });
    expect(l.history.at(-1)?.reason).toMatch(/^revived: W was rejected by /);
  });

  it('resubmitting L with new content is a 409 naming L and the fields; the same content is a duplicate', async () => {
    const customer = await newCustomer(stack, 0);
    const first = rec({ id: 'L', affected_resources: ['db-1'], priority: 3 });
    expect((await coordinate(customer, [first])).status).toBe(200);
    expect((await coordinate(customer, [first])).body.duplicates).toEqual([{ id: 'L', status: 'approved' }]);
    const changed = await coordinate(customer, [
      { ...first, priority: 9, action: 'scale_up', affected_resources: ['db-2'] },
    ]);
    expect(changed.status).toBe(409);
    expect(changed.body.error).toContain('L (action, affected_resources, priority)');
    expect((await recommendation(customer, 'L')).priority).toBe(3);
  });

  it('a recommendation people approved is not superseded by a better newcomer', async () => {
    const customer = await newCustomer(stack, 1);
    const reply = await coordinate(customer, [
      rec({ id: 'A', risk_level: 'high', affected_resources: ['db-1'], priority: 3 }),
    ]);
    const [alice] = customer.approvers;
    expect(
      (
        await alice.client.call('POST', `/coordination/approvals/${reply.body.approvals[0].id}/approve`, {
          user_id: alice.email,
        })
      ).status,
    ).toBe(200);
    const newcomer = await coordinate(customer, [
      rec({ id: 'N', risk_level: 'medium', affected_resources: ['db-1'], priority: 9 }),
    ]);
    expect(newcomer.body.superseded).toEqual([]);
    expect(newcomer.body.not_kept).toEqual([
      expect.objectContaining({ id: 'N', status: 'discarded', resolved_by: 'A' }),
    ]);
    expect((await recommendation(customer, 'A')).status).toBe('approved');
  });
});

describe('§6 dependents follow their dependencies at once', () => {
  const pendingIds = async (customer: Customer) => {
    const [alice] = customer.approvers;
    const listed = await alice.client.call<{ approvals: Approval[] }>(
      'GET',
      `/coordination/approvals?customer_id=${customer.id}`,
    );
    return listed.body.approvals.map((a) => a.recommendation_id).sort();
  };

  /** D depends on A; both wait for an approval. */
  async function dependentPair(customer: Customer, aPriority = 3) {
    const reply = await coordinate(customer, [
      rec({ id: 'A', risk_level: 'medium', affected_resources: ['db-6'], priority: aPriority }),
      rec({ id: 'D', risk_level: 'medium', affected_resources: ['app-6'], dependencies: ['A'] }),
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body.approvals.map((a) => a.recommendation_id).sort()).toEqual(['A', 'D']);
    expect(await pendingIds(customer)).toEqual(['A', 'D']);
    const d = await recommendation(customer, 'D');
    // The workflow waits on D's approval and its email went out: the link must then say it was withdrawn.
    return { approvalId: d.approval_id!, link: await reviewLink(stack, customer.approvers[0], d.approval_id!) };
  }

  async function expectWithdrawn(customer: Customer, link: string, reason: RegExp) {
    const d = await recommendation(customer, 'D');
    expect(d.status).toBe('cancelled');
    expect(d.status_reason).toMatch(reason);
    expect(d.history.at(-1)).toMatchObject({ status: 'cancelled', reason: d.status_reason });
    expect(d.approval).toMatchObject({ status: 'cancelled', closed_reason: d.status_reason });
    expect(await pendingIds(customer)).not.toContain('D');
    expect(await workflowEnd(stack, customer.id, 'D')).toEqual({ status: 'SUCCEEDED', lastState: 'Cancelled' });
    const page = await fetch(link);
    expect(await page.text()).toContain('This approval was withdrawn');
  }

  it('A rejected: D, pending approval, is cancelled at once and its approval withdrawn', async () => {
    const customer = await newCustomer(stack, 1);
    const [alice] = customer.approvers;
    const { link } = await dependentPair(customer);
    const a = await recommendation(customer, 'A');
    const rejected = await alice.client.call('POST', `/coordination/approvals/${a.approval_id}/reject`, {
      user_id: alice.email,
      reason: 'not now',
    });
    expect(rejected.status).toBe(200);
    await expectWithdrawn(
      customer,
      link,
      new RegExp(`^dependency A was rejected by ${alice.email.replace(/[.+]/g, '\\$&')}$`),
    );
  });

  it('A superseded by a better newcomer: D, pending approval, is cancelled and its approval withdrawn', async () => {
    const customer = await newCustomer(stack, 1);
    const { link } = await dependentPair(customer);
    const better = await coordinate(customer, [
      rec({ id: 'B', risk_level: 'medium', affected_resources: ['db-6'], priority: 9 }),
    ]);
    expect(better.body.superseded).toEqual([{ id: 'A', superseded_by: 'B' }]);
    await expectWithdrawn(customer, link, /^dependency A was superseded by B$/);
    expect(await pendingIds(customer)).toEqual(['B']);
  });
});
