// The coordinate use case on the real repository in DynamoDB Local.
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoApprovalStore } from '../../functions/adapters/approval-store.js';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { DynamoPolicyStore } from '../../functions/adapters/policy-store.js';
import { DynamoRecommendationStore } from '../../functions/adapters/recommendation-store.js';
import { DynamoReconcileStore } from '../../functions/adapters/reconcile-store.js';
import { InvalidInput, StaleState, StateConflict } from '../../functions/core/model/errors.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import type { CoordinationPorts as CoordinateDeps } from '../../functions/core/ports/coordination.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { rec, seed } from '../support/fixtures.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { freshTable } from '../support/table.js';

let deps: CoordinateDeps;
let store: DynamoRecommendationStore;
let db: ReturnType<typeof documentClient>;
let table: string;
let workflow: RecordingWorkflow;

beforeAll(async () => {
  const t = await freshTable();
  table = t.tableName;
  db = documentClient({ endpoint: t.endpoint });
  store = new DynamoRecommendationStore(db, table);
  workflow = new RecordingWorkflow();
  deps = {
    recommendations: store,
    approvals: new DynamoApprovalStore(db, table),
    policies: new DynamoPolicyStore(db, table),
    workflow,
    clock: { now: () => new Date() },
    ids: { next: newId },
    reconcile: new DynamoReconcileStore(db, table),
  };
});

const customer = () => `cust-${randomUUID()}`;
const run = (body: unknown) => coordinate(CoordinateRequest.parse(body), deps);

async function setStatus(customerId: string, id: string, status: string) {
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: keys.customer(customerId), sk: keys.recommendation(id) },
      UpdateExpression: 'SET #s = :s, gsi1pk = :g',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ':g': keys.recommendationsByStatus(customerId, status) },
    }),
  );
}

describe('coordinate on DynamoDB', () => {
  it('stores every submitted recommendation with its status, reason and history', async () => {
    const c = customer();
    const result = await run(seed.test2(c));
    expect(result.recommendations_kept).toBe(1);
    const [kept, discarded] = await store
      .getRecommendations(c, ['rec-003', 'rec-004'])
      .then((r) => r.sort((a, b) => a.id.localeCompare(b.id)));
    expect(kept.status).toBe('pending_approval');
    expect(kept.approval_id).toBe(result.approvals[0].id);
    expect(await deps.approvals.getApproval(c, kept.approval_id!)).toMatchObject({
      status: 'pending',
      approvals_required: 1,
      recommendation_id: 'rec-003',
    });
    expect(discarded).toMatchObject({ status: 'discarded', resolved_by: 'rec-003' });
    expect(discarded.history).toEqual([
      expect.objectContaining({ status: 'discarded', reason: expect.stringContaining('rec-003') }),
    ]);
    expect(discarded.conflicts.map((x) => x.type)).toEqual(['resource']);
  });

  it('never duplicates a resubmitted recommendation id', async () => {
    const c = customer();
    await run(seed.test1(c));
    const again = await run(seed.test1(c));
    expect(again.duplicates).toEqual([
      { id: 'rec-001', status: 'pending_approval' },
      { id: 'rec-002', status: 'approved' },
    ]);
    expect(again.recommendations_kept).toBe(0);
    expect(again.approvals).toEqual([]);
    const listed = await store.listRecommendations(c, { limit: 100 });
    expect(listed.items.map((r) => r.id).sort()).toEqual(['rec-001', 'rec-002']);
  });

  it('refuses a resubmitted id with other content: 409 naming the id and the changed fields, nothing changed (issue 13 §5)', async () => {
    const c = customer();
    await run({
      customer_id: c,
      recommendations: [rec({ id: 'L', priority: 3, affected_resources: ['db-1'], parameters: { a: 1, b: [1, 2] } })],
    });
    // Same content, keys in another order: a duplicate as before.
    const same = await run({
      customer_id: c,
      recommendations: [rec({ id: 'L', parameters: { b: [1, 2], a: 1 }, affected_resources: ['db-1'], priority: 3 })],
    });
    expect(same.duplicates).toEqual([{ id: 'L', status: 'approved' }]);
    const changed = run({
      customer_id: c,
      recommendations: [
        rec({ id: 'fresh' }),
        rec({
          id: 'L',
          priority: 9,
          action: 'scale_up',
          affected_resources: ['db-1', 'db-2'],
          parameters: { a: 1, b: [1, 2] },
        }),
      ],
    });
    await expect(changed).rejects.toThrow(StateConflict);
    await expect(changed).rejects.toThrow('L (action, affected_resources, priority)');
    const listed = await store.listRecommendations(c, { limit: 100 });
    expect(listed.items.map((r) => [r.id, r.priority])).toEqual([['L', 3]]);
  });

  it('a recommendation approved by people is not superseded by a better newcomer (issue 13 §5)', async () => {
    const c = customer();
    await run({
      customer_id: c,
      recommendations: [rec({ id: 'approved', risk_level: 'medium', affected_resources: ['db-1'], priority: 3 })],
    });
    const [stored] = await store.getRecommendations(c, ['approved']);
    await setStatus(c, 'approved', 'approved');
    expect(stored.approval_id).toBeDefined();
    const result = await run({
      customer_id: c,
      recommendations: [rec({ id: 'better', risk_level: 'medium', affected_resources: ['db-1'], priority: 9 })],
    });
    expect(result.superseded).toEqual([]);
    expect(result.not_kept).toEqual([
      expect.objectContaining({ id: 'better', status: 'discarded', resolved_by: 'approved' }),
    ]);
  });

  it('when a newcomer supersedes X, those X had beaten are judged again and come back if they now win (issue 13 §5)', async () => {
    const c = customer();
    await run({
      customer_id: c,
      recommendations: [
        rec({ id: 'X', risk_level: 'medium', affected_resources: ['db-1', 'db-2'], priority: 5 }),
        rec({ id: 'L', affected_resources: ['db-2'], priority: 3 }),
      ],
    });
    expect((await store.getRecommendations(c, ['L']))[0]).toMatchObject({ status: 'discarded', resolved_by: 'X' });
    const result = await run({
      customer_id: c,
      recommendations: [rec({ id: 'N', risk_level: 'medium', affected_resources: ['db-1'], priority: 9 })],
    });
    expect(result.superseded).toEqual([{ id: 'X', superseded_by: 'N' }]);
    const [l] = await store.getRecommendations(c, ['L']);
    expect(l).toMatchObject({ status: 'approved' });
    expect(l.history.at(-1)?.reason).toMatch(/^revived: X was superseded/);
  });

  it('supersedes an outranked pending recommendation from an earlier batch', async () => {
    const c = customer();
    await run({
      customer_id: c,
      recommendations: [rec({ id: 'old', risk_level: 'medium', affected_resources: ['db-1'], priority: 3 })],
    });
    const result = await run({
      customer_id: c,
      recommendations: [rec({ id: 'new', risk_level: 'medium', affected_resources: ['db-1'], priority: 9 })],
    });
    expect(result.superseded).toEqual([{ id: 'old', superseded_by: 'new' }]);
    const [old] = await store.getRecommendations(c, ['old']);
    expect(old.status).toBe('superseded');
    expect(old.history.map((h) => h.status)).toEqual(['pending_approval', 'superseded']);
    expect((await store.listActive(c)).map((r) => r.id)).toEqual(['new']);
  });

  it('stops the first and every repaired execution of a superseded recommendation, and no other', async () => {
    const c = customer();
    await run({
      customer_id: c,
      recommendations: [
        rec({ id: 'idle', affected_resources: ['db-2'], priority: 3 }),
        rec({ id: 'bystander', affected_resources: ['db-3'] }),
      ],
      auto_approve: true,
      execute_now: false,
    });
    // The reconciler restarted its workflow twice (after crashes): it now runs as "-r2".
    const repairs = new DynamoReconcileStore(db, table);
    const at = new Date().toISOString();
    expect([await repairs.claimRepair(c, 'idle', 0, at), await repairs.claimRepair(c, 'idle', 1, at)]).toEqual([
      true,
      true,
    ]);
    const before = workflow.stopped.length;

    const result = await run({
      customer_id: c,
      recommendations: [rec({ id: 'better', affected_resources: ['db-2'], priority: 9 })],
      auto_approve: true,
      execute_now: false,
    });
    expect(result.superseded).toEqual([{ id: 'idle', superseded_by: 'better' }]);
    expect(workflow.stopped.slice(before)).toEqual([0, 1, 2].map((repair) => executionName(c, 'idle', repair)));
  });

  it('discards a newcomer that loses to an earlier pending one, and any newcomer against an executing one', async () => {
    const c = customer();
    await run({
      customer_id: c,
      recommendations: [
        rec({ id: 'strong', affected_resources: ['r1'], priority: 9 }),
        rec({ id: 'busy', affected_resources: ['r2'], priority: 1 }),
      ],
    });
    await setStatus(c, 'busy', 'executing');
    const result = await run({
      customer_id: c,
      recommendations: [
        rec({ id: 'weak', affected_resources: ['r1'], priority: 2 }),
        rec({ id: 'eager', affected_resources: ['r2'], priority: 100 }),
      ],
    });
    expect(result.recommendations_kept).toBe(0);
    expect(Object.fromEntries(result.not_kept.map((n) => [n.id, n.resolved_by]))).toEqual({
      weak: 'strong',
      eager: 'busy',
    });
  });

  it('cancels a recommendation whose dependency is unknown for the customer', async () => {
    const c = customer();
    const result = await run({ customer_id: c, recommendations: [rec({ id: 'child', dependencies: ['ghost'] })] });
    expect(result.not_kept).toEqual([expect.objectContaining({ id: 'child', status: 'cancelled' })]);
    expect(result.conflicts[0]).toMatchObject({ type: 'dependency', recommendation_ids: ['child'] });
  });

  it('keeps the active set conflict-free when coordinations of one customer race', async () => {
    const c = customer();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        run({
          customer_id: c,
          recommendations: [rec({ id: `racer-${i}`, risk_level: 'medium', affected_resources: ['hot'], priority: i })],
        }),
      ),
    );
    expect(results).toHaveLength(8);
    const active = await store.listActive(c);
    expect(active.map((r) => r.id)).toEqual(['racer-7']);
    const all = await store.listRecommendations(c, { limit: 100 });
    expect(all.items).toHaveLength(8);
  });

  it('writes nothing of a coordination whose superseded recommendation moved meanwhile', async () => {
    const c = customer();
    await run({ customer_id: c, recommendations: [rec({ id: 'a', risk_level: 'medium', affected_resources: ['x'] })] });
    const [a] = await store.getRecommendations(c, ['a']);
    const change = {
      customerId: c,
      created: [],
      changed: [
        {
          id: 'a',
          from: 'approved' as const,
          to: 'superseded' as const,
          entry: { status: 'superseded' as const, reason: 'test', at: new Date().toISOString() },
        },
      ],
      approvals: [],
      plans: [],
      cancelledApprovals: [],
    };
    await expect(store.saveCoordination(change)).rejects.toBeInstanceOf(StaleState);
    expect((await store.getRecommendations(c, ['a']))[0]).toEqual(a);
  });

  it("pages through a customer's recommendations and refuses a forged page token", async () => {
    const c = customer();
    await run({
      customer_id: c,
      recommendations: ['p1', 'p2', 'p3'].map((id) => rec({ id, affected_resources: [id] })),
    });
    const first = await store.listRecommendations(c, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await store.listRecommendations(c, { limit: 2, next: first.next });
    expect([...first.items, ...second.items].map((r) => r.id).sort()).toEqual(['p1', 'p2', 'p3']);
    const forged = Buffer.from(JSON.stringify({ pk: 'C#someone-else', sk: 'R#x' })).toString('base64url');
    await expect(store.listRecommendations(c, { limit: 2, next: forged })).rejects.toBeInstanceOf(InvalidInput);
    await expect(store.listRecommendations(c, { limit: 2, next: 'not-a-token' })).rejects.toBeInstanceOf(InvalidInput);
  });
});

describe('expiry at coordination (issue 13 §1)', () => {
  let now = new Date();
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  const timed = (body: unknown) => coordinate(CoordinateRequest.parse(body), { ...deps, clock: { now: () => now } });

  it('the approval deadline is the earlier of the policy expiry and the recommendation expires_at', async () => {
    now = new Date();
    const c = customer();
    const result = await timed({
      customer_id: c,
      recommendations: [rec({ id: 'soon', risk_level: 'medium', expires_at: at(20) })],
    });
    expect(result.approvals[0].expires_at).toBe(at(20));
    const later = await timed({
      customer_id: c,
      recommendations: [rec({ id: 'later', risk_level: 'medium', expires_at: at(7 * 86_400) })],
    });
    expect(Date.parse(later.approvals[0].expires_at) - now.getTime()).toBe(48 * 3600_000);
  });

  it('an idle approved recommendation past its expires_at no longer beats a newcomer, and its dependents cannot run', async () => {
    now = new Date();
    const c = customer();
    await timed({
      customer_id: c,
      recommendations: [rec({ id: 'idle', priority: 9, affected_resources: ['db-1'], expires_at: at(60) })],
      auto_approve: true,
    });
    expect((await store.getRecommendations(c, ['idle']))[0].status).toBe('approved');
    now = new Date(now.getTime() + 120_000);
    const result = await timed({
      customer_id: c,
      recommendations: [
        rec({ id: 'newcomer', priority: 1, affected_resources: ['db-1'] }),
        rec({ id: 'needs-idle', dependencies: ['idle'] }),
      ],
      auto_approve: true,
    });
    expect(result.recommendations.map((r) => r.id)).toEqual(['newcomer']);
    expect(result.conflicts).toEqual([]);
    expect(result.not_kept).toEqual([
      expect.objectContaining({ id: 'needs-idle', status: 'cancelled', reason: 'dependency idle is expired' }),
    ]);
  });

  it('a stored dependent of a recommendation past its expires_at is cancelled at the next coordination, its approval withdrawn (issue 13 §6)', async () => {
    now = new Date();
    const c = customer();
    const first = await timed({
      customer_id: c,
      recommendations: [
        rec({ id: 'A', risk_level: 'medium', affected_resources: ['a-1'], expires_at: at(60) }),
        rec({ id: 'D', risk_level: 'medium', affected_resources: ['d-1'], dependencies: ['A'] }),
      ],
    });
    const dApproval = first.approvals.find((a) => a.recommendation_id === 'D')!.id;
    now = new Date(now.getTime() + 120_000);
    await timed({
      customer_id: c,
      recommendations: [rec({ id: 'unrelated', affected_resources: ['u-1'] })],
      auto_approve: true,
    });
    const [d] = await store.getRecommendations(c, ['D']);
    expect([d.status, d.status_reason]).toEqual(['cancelled', `dependency A expired at ${at(-60)}`]);
    expect(await deps.approvals.getApproval(c, dApproval)).toMatchObject({
      status: 'cancelled',
      closed_reason: d.status_reason,
    });
  });
});
