// Seed 001 STEP 6 and the approvers' API over HTTP on the local stack: listing, approving and
// rejecting with an approver's own key; the refusals (closed 409, expired 410, not theirs 403);
// and twenty approvers deciding at the same moment.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import type { Approval } from '../../functions/core/model/records.js';
import type { ListedApproval } from '../../functions/core/use-cases/list-approvals.js';
import { arbiterClient } from '../../local/arbiter-client.js';
import { APPROVAL_STEPS, type ApprovalListing, listedApproval } from '../../local/seed-scenarios.js';
import { rec, seed } from '../support/fixtures.js';
import { stackForFile } from '../support/local-stack.js';
import {
  APPROVED_PATH,
  type Approver,
  type Customer,
  coordinateRisky,
  newCustomer,
  recommendation,
  reviewLink,
  workflowEnd,
  workflowPathTo,
} from './approval-setup.js';

const stack = stackForFile();

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

type Decided = { message?: string; error?: string; approval?: Approval };

function approve(approver: Approver, approvalId: string, userId = approver.email) {
  return approver.client.call<Decided>('POST', `/coordination/approvals/${approvalId}/approve`, { user_id: userId });
}

function reject(approver: Approver, approvalId: string, reason: string) {
  return approver.client.call<Decided>('POST', `/coordination/approvals/${approvalId}/reject`, {
    user_id: approver.email,
    reason,
  });
}

function pendingApprovals(client: Approver['client'], customerId: string) {
  return client.call<ApprovalListing>('GET', `/coordination/approvals?customer_id=${customerId}`);
}

describe('seed 001 STEP 6 over HTTP', () => {
  let customer: Customer;
  let approver: Approver;

  beforeAll(async () => {
    customer = await newCustomer(stack, [APPROVAL_STEPS.approver]);
    [approver] = customer.approvers;
    // STEP 5 test 2: rec-003 (medium) is kept and waits for an approval; rec-004 lost to it.
    expect((await customer.agent.call('POST', '/coordination/coordinate', seed.test2(customer.id))).status).toBe(200);
  });

  it("test 1: lists the pending approval with the seed's fields, 48 hours to decide at medium risk", async () => {
    const { status, body } = await pendingApprovals(approver.client, customer.id);
    expect(status).toBe(200);
    expect(body.count).toBe(1);
    expect(body.approvals.map(listedApproval)).toEqual([APPROVAL_STEPS.listed(customer.id)]);
    expect(body.approvals[0]).toMatchObject({
      id: expect.stringMatching(/^approval_/),
      requested_at: expect.stringMatching(ISO_TIME),
      expires_at: expect.stringMatching(ISO_TIME),
    });
    expect(body.approvals[0]).not.toHaveProperty('task_token');
  });

  it('test 2: approves with the approver key; the listing no longer shows it', async () => {
    const [listed] = (await pendingApprovals(approver.client, customer.id)).body.approvals;
    const reply = await approve(approver, listed.id);
    expect(reply).toMatchObject({
      status: 200,
      body: {
        message: APPROVAL_STEPS.approvedMessage,
        approval: { id: listed.id, status: 'approved', approved_by: APPROVAL_STEPS.approver },
      },
    });
    expect(reply.body.approval?.votes).toEqual([
      expect.objectContaining({ approver: APPROVAL_STEPS.approver, decision: 'approve', via: 'api' }),
    ]);

    expect((await pendingApprovals(approver.client, customer.id)).body).toEqual({ approvals: [], count: 0 });
    expect(await recommendation(customer, 'rec-003')).toMatchObject({
      status: 'approved',
      plan: { recommendation_id: 'rec-003' },
    });
    expect(await workflowPathTo(stack, customer.id, 'rec-003', 'Approved')).toEqual(APPROVED_PATH);
  });

  it('test 3: rejects rec-007 with a reason, which its history keeps', async () => {
    const coordinated = await customer.agent.call<{ approvals: Approval[] }>(
      'POST',
      '/coordination/coordinate',
      APPROVAL_STEPS.toReject(customer.id),
    );
    expect(coordinated.status).toBe(200);
    const [{ id }] = coordinated.body.approvals;

    const reply = await reject(approver, id, APPROVAL_STEPS.rejectReason);
    expect(reply).toMatchObject({
      status: 200,
      body: {
        message: APPROVAL_STEPS.rejectedMessage,
        approval: { status: 'rejected', rejection_reason: APPROVAL_STEPS.rejectReason },
      },
    });
    const rec007 = await recommendation(customer, 'rec-007');
    expect(rec007.status).toBe('rejected');
    expect(rec007.history.at(-1)).toMatchObject({
      status: 'rejected',
      by: APPROVAL_STEPS.approver,
      reason: expect.stringContaining(APPROVAL_STEPS.rejectReason),
    });
    expect(await workflowEnd(stack, customer.id, 'rec-007')).toEqual({ status: 'SUCCEEDED', lastState: 'Rejected' });
  });
});

describe('approvers', () => {
  it('registers the same person as an approver of two customers, and emails each approval to them', async () => {
    const email = `shared-${Date.now()}@example.com`;
    const first = await newCustomer(stack, [email]);
    const second = await newCustomer(stack, [email]);
    const approvalId = await coordinateRisky(second, { id: 'rec-shared' });
    expect(await reviewLink(stack, second.approvers[0], approvalId)).toContain(
      `approver=${second.approvers[0].approver_id}`,
    );
    expect(first.approvers[0].approver_id).not.toBe(second.approvers[0].approver_id);
  });
});

describe('reading an approval', () => {
  it("keeps the workflow's task token out of the recommendation an agent reads", async () => {
    const customer = await newCustomer(stack);
    const approvalId = await coordinateRisky(customer, { id: 'rec-token' });
    await reviewLink(stack, customer.approvers[0], approvalId); // "Request approval" stored its token before emailing
    const { approval } = await recommendation(customer, 'rec-token');
    expect(approval).toMatchObject({ id: approvalId, status: 'pending' });
    expect(approval).not.toHaveProperty('task_token');
  });
});

/**
 * Moves an approval's expiry into the past, as if its time had run out: policies allow 60 s at
 * the least and the handlers read the real clock, so this is the one way to reach, without
 * waiting, the window where the approval is past its expiry but the workflow has not yet closed it.
 */
async function expireInTable(customerId: string, approvalId: string): Promise<void> {
  const past = new Date(Date.now() - 60_000).toISOString();
  const db = documentClient({ endpoint: stack.dynamoEndpoint });
  await db.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: { pk: keys.customer(customerId), sk: keys.approval(approvalId) },
      UpdateExpression: 'SET expires_at = :past, gsi1sk = :listed',
      ExpressionAttributeValues: { ':past': past, ':listed': `${past}#${approvalId}` },
    }),
  );
  db.destroy();
}

describe('decisions through the API', () => {
  it('refuses any decision once the approval is closed with 409, and changes nothing', async () => {
    const customer = await newCustomer(stack, 2);
    const [first, second] = customer.approvers;
    const approvalId = await coordinateRisky(customer, { id: 'rec-closed' });
    expect((await approve(first, approvalId)).status).toBe(200);

    for (const late of [
      approve(first, approvalId),
      approve(second, approvalId),
      reject(second, approvalId, 'too late'),
    ]) {
      expect(await late).toMatchObject({ status: 409, body: { error: expect.stringContaining('already approved') } });
    }
    expect((await recommendation(customer, 'rec-closed')).approval).toMatchObject({
      status: 'approved',
      votes: [{ approver: first.email }],
    });
  });

  it('records every vote in the history with the tally, the one short of the quorum too (issue 13 §8)', async () => {
    const customer = await newCustomer(stack, 2);
    const [alice, bob] = customer.approvers;
    const approvalId = await coordinateRisky(customer, { id: 'rec-quorum', risk_level: 'critical' });

    expect((await approve(alice, approvalId)).body.message).toBe('Approval recorded; more approvals are needed');
    const halfway = await recommendation(customer, 'rec-quorum');
    expect(halfway.status).toBe('pending_approval');
    expect(halfway.history.at(-1)).toEqual({
      status: 'pending_approval',
      reason: `approved by ${alice.email}: 1 of 2`,
      at: halfway.approval?.votes[0]?.at,
      by: alice.email,
    });

    expect((await approve(alice, approvalId)).body.message).toBe('Your approval was already recorded');
    expect((await recommendation(customer, 'rec-quorum')).history).toHaveLength(halfway.history.length);

    expect((await approve(bob, approvalId)).status).toBe(200);
    const approved = await recommendation(customer, 'rec-quorum');
    expect(approved.history.slice(-2).map((h) => [h.status, h.reason, h.by])).toEqual([
      ['pending_approval', `approved by ${alice.email}: 1 of 2`, alice.email],
      ['approved', `approved by ${bob.email}: 2 of 2`, bob.email],
    ]);
  });

  it("refuses the admin's key, an agent's key, and another approver's user_id with 403", async () => {
    const customer = await newCustomer(stack, 2);
    const [first, second] = customer.approvers;
    const approvalId = await coordinateRisky(customer, { id: 'rec-not-yours' });

    const asAdmin = { ...first, client: arbiterClient(stack.url, stack.adminKey) };
    const asAgent = { ...first, client: customer.agent };
    for (const reply of [
      approve(asAdmin, approvalId),
      approve(asAgent, approvalId),
      approve(first, approvalId, second.email),
    ]) {
      expect((await reply).status).toBe(403);
    }
    expect(await recommendation(customer, 'rec-not-yours')).toMatchObject({
      status: 'pending_approval',
      approval: { status: 'pending', votes: [] },
    });
  });

  it('refuses a decision past the expiry with 410, and no longer lists the approval', async () => {
    const customer = await newCustomer(stack);
    const [approver] = customer.approvers;
    const approvalId = await coordinateRisky(customer, { id: 'rec-expired' });
    await reviewLink(stack, approver, approvalId); // the workflow is waiting on it
    await expireInTable(customer.id, approvalId);

    expect((await approve(approver, approvalId)).status).toBe(410);
    expect((await reject(approver, approvalId, 'too late')).status).toBe(410);
    expect((await pendingApprovals(approver.client, customer.id)).body.count).toBe(0);
    expect(await recommendation(customer, 'rec-expired')).toMatchObject({
      status: 'pending_approval',
      approval: { status: 'pending', votes: [] },
    });
  });

  it('lets exactly one of twenty approvers approving at once decide; the others get 409 and the workflow is signalled once', async () => {
    const customer = await newCustomer(stack, 20);
    const approvalId = await coordinateRisky(customer, { id: 'rec-rush' });
    await reviewLink(stack, customer.approvers[0], approvalId); // the workflow is waiting on it
    const { tokens } = stack.stepFunctions.executions;
    const succeeded = vi.spyOn(tokens, 'succeed');
    const failed = vi.spyOn(tokens, 'fail');
    try {
      const replies = await Promise.all(customer.approvers.map((approver) => approve(approver, approvalId)));
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
      expect(replies.find((r) => r.status === 200)?.body.message).toBe(APPROVAL_STEPS.approvedMessage);

      expect((await recommendation(customer, 'rec-rush')).approval?.votes).toHaveLength(1);
      expect(await workflowPathTo(stack, customer.id, 'rec-rush', 'Approved')).toEqual(APPROVED_PATH);
      expect({ succeeded: succeeded.mock.calls.length, failed: failed.mock.calls.length }).toEqual({
        succeeded: 1,
        failed: 0,
      });
    } finally {
      succeeded.mockRestore();
      failed.mockRestore();
    }
  });
});

describe('the approvals list an approver works from (issue 13 §7)', () => {
  type Listed = ListedApproval;
  const list = (approver: Approver, query = '') =>
    approver.client.call<{ approvals: Listed[]; count: number; next?: string }>(
      'GET',
      `/coordination/approvals${query}`,
    );

  it('shows what each approval would do, its dependencies and votes, and whether I voted', async () => {
    const customer = await newCustomer(stack, 2);
    const [alice, bob] = customer.approvers;
    const recommendations = [
      {
        id: 'snap',
        title: 'Snapshot db-9',
        action: 'take_snapshot',
        risk_level: 'medium',
        affected_resources: ['db-9'],
        estimated_savings: 0,
      },
      {
        id: 'spot',
        title: 'Move i-9 to spot',
        action: 'migrate_to_spot',
        risk_level: 'critical',
        affected_resources: ['i-9'],
        estimated_savings: 1234.5,
        dependencies: ['snap'],
      },
    ];
    const reply = await customer.agent.call('POST', '/coordination/coordinate', {
      customer_id: customer.id,
      recommendations: recommendations.map((r) => rec(r as never)),
    });
    expect(reply.status).toBe(200);
    const spotApproval = (await list(alice)).body.approvals.find((a) => a.recommendation_id === 'spot')!;
    expect((await approve(alice, spotApproval.id)).status).toBe(200);

    const mine = (await list(alice)).body.approvals.find((a) => a.recommendation_id === 'spot')!;
    expect(mine).toMatchObject({
      title: 'Move i-9 to spot',
      action: 'migrate_to_spot',
      affected_resources: ['i-9'],
      effective_risk: 'critical',
      estimated_savings: 1234.5,
      dependencies: [{ id: 'snap', status: 'pending_approval' }],
      votes: [expect.objectContaining({ approver: alice.email })],
      voted_by_me: true,
    });
    expect(mine.plan_steps.map((s) => [s.action, s.critical, s.reversible])).toEqual([
      ['take_snapshot', true, true],
      ['migrate_workload', true, true],
      ['validate_quality', true, false],
    ]);
    expect((await list(bob)).body.approvals.find((a) => a.recommendation_id === 'spot')?.voted_by_me).toBe(false);
    expect(mine).not.toHaveProperty('task_token');
  });

  it('pages with limit and next, each approval once; a bad token or limit is a 400', async () => {
    const customer = await newCustomer(stack, 1);
    const [approver] = customer.approvers;
    const recommendations = ['p1', 'p2', 'p3'].map((id, i) =>
      rec({ id, risk_level: 'high', affected_resources: [`vol-${i}`] }),
    );
    expect(
      (await customer.agent.call('POST', '/coordination/coordinate', { customer_id: customer.id, recommendations }))
        .status,
    ).toBe(200);
    const first = await list(approver, '?limit=2');
    expect(first.body.count).toBe(2);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await list(approver, `?limit=2&next=${first.body.next}`);
    const ids = [...first.body.approvals, ...second.body.approvals].map((a) => a.recommendation_id);
    expect(ids.sort()).toEqual(['p1', 'p2', 'p3']);
    expect((await list(approver, '?limit=0')).status).toBe(400);
    expect((await list(approver, '?next=garbage')).status).toBe(400);
    const foreign = Buffer.from(
      JSON.stringify({ gsi1pk: 'C#other#AS#pending', gsi1sk: 'x', pk: 'C#other', sk: 'A#x' }),
    ).toString('base64url');
    expect((await list(approver, `?next=${foreign}`)).status).toBe(400);
  });
});
