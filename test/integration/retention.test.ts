// Retention on DynamoDB Local (issue 9 §11): a recommendation that ends gets a TTL of the policy's
// retention_days, on every item of it (the recommendation with its history, its approval with the votes,
// its plan and the plan's step results); an active one has none, a revived one loses it; a read after
// the TTL finds nothing, before DynamoDB deletes anything.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { dynamoStores as storesOn } from '../../functions/adapters/stores.js';
import { NotFound } from '../../functions/core/model/errors.js';
import { CoordinateRequest, PolicyInput } from '../../functions/core/model/inputs.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { decide } from '../../functions/core/use-cases/decide-approval.js';
import { recordOutcome } from '../../functions/core/use-cases/record-outcome.js';
import { recordStep } from '../../functions/core/use-cases/record-step.js';
import { viewRecommendation } from '../../functions/core/use-cases/view-recommendation.js';
import { rec, seed } from '../support/fixtures.js';
import { partitionItems } from '../support/partition.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { freshTable } from '../support/table.js';

const DAY = 86_400;
let db: ReturnType<typeof documentClient>;
let table: string;

/** The use cases' ports on the table, with a clock of their own. */
function portsAt(now: () => Date) {
  const clock = { now };
  return {
    ...storesOn({ db, table, clock }),
    workflow: new RecordingWorkflow(),
    notifier: new RecordingNotifier(),
    clock,
    ids: { next: newId },
  };
}
let deps: ReturnType<typeof portsAt>;

beforeAll(async () => {
  const t = await freshTable();
  table = t.tableName;
  db = documentClient({ endpoint: t.endpoint });
  deps = portsAt(() => new Date());
});

const customer = () => `keep-${randomUUID().slice(0, 8)}`;
const epoch = (iso: string) => Math.ceil(Date.parse(iso) / 1000);

/** Every item of the customer's partition, by sort key, with its raw ttl. */
async function ttls(customerId: string): Promise<Record<string, unknown>> {
  const items = await partitionItems(db, table, customerId);
  return Object.fromEntries(Object.entries(items).map(([sk, item]) => [sk, item.ttl]));
}

async function stored(customerId: string, id: string) {
  const [found] = await deps.recommendations.getRecommendations(customerId, [id]);
  return found;
}

/** Seed test 2 for a fresh customer: rec-003 kept (pending approval), rec-004 discarded at once. */
async function seedTest2(policy?: { retention_days: number }) {
  const c = customer();
  if (policy) await deps.policies.putPolicy(c, PolicyInput.parse(policy));
  const result = await coordinate(CoordinateRequest.parse(seed.test2(c)), deps);
  return { c, approvalId: result.approvals[0].id };
}

const rejectBy = (c: string, approvalId: string) =>
  decide(
    {
      customerId: c,
      approvalId,
      approver: { id: 'ap-1', email: 'ops@example.com' },
      decision: 'reject',
      via: 'api',
    },
    deps,
  );

describe('retention through DynamoDB TTL', () => {
  it('an active recommendation and its approval carry no TTL; one discarded at coordinate time does', async () => {
    const { c, approvalId } = await seedTest2();
    const items = await ttls(c);
    expect(items[keys.recommendation('rec-003')]).toBeUndefined();
    expect(items[keys.approval(approvalId)]).toBeUndefined();
    const discarded = await stored(c, 'rec-004');
    expect(discarded.status).toBe('discarded');
    expect(items[keys.recommendation('rec-004')]).toBe(epoch(discarded.updated_at) + 90 * DAY);
  });

  it("a rejected one, with its approval and votes, expires after the policy's retention_days; the one it beat is revived and loses its TTL", async () => {
    const { c, approvalId } = await seedTest2({ retention_days: 7 });
    expect((await ttls(c))[keys.recommendation('rec-004')]).toEqual(expect.any(Number));

    await rejectBy(c, approvalId);

    const rejected = await stored(c, 'rec-003');
    expect(rejected.status).toBe('rejected');
    const items = await ttls(c);
    const ttl = epoch(rejected.history.at(-1)!.at) + 7 * DAY;
    expect(items[keys.recommendation('rec-003')]).toBe(ttl);
    expect(items[keys.approval(approvalId)]).toBe(ttl);
    // The loser came back (revive_discarded): active again, so kept again.
    const revived = await stored(c, 'rec-004');
    expect(revived.status).toBe('pending_approval');
    expect(items[keys.recommendation('rec-004')]).toBeUndefined();
  });

  it('a plan that ran: the recommendation, the plan and every step result expire together', async () => {
    const c = customer();
    const request = CoordinateRequest.parse({
      customer_id: c,
      recommendations: [rec({ id: 'ran', affected_resources: ['i-1'] })],
      auto_approve: true,
      execute_now: true,
    });
    await coordinate(request, deps);
    const ids = { customer_id: c, recommendation_id: 'ran' };
    await recordStep({ ...ids, event: 'start' }, deps);
    // Nothing of the running recommendation expires (the coordination's conflict pages keep their own time).
    const running = Object.entries(await ttls(c)).filter(([sk]) => !sk.startsWith('X#'));
    expect(running.filter(([, t]) => t !== undefined)).toEqual([]);
    await recordStep({ ...ids, event: 'completed', step_index: 0, outcome: { result: { ok: true } } }, deps);
    await recordOutcome({ ...ids, approval_id: null, outcome: 'completed' }, deps);

    const done = await stored(c, 'ran');
    expect(done.status).toBe('completed');
    const items = await ttls(c);
    const ttl = epoch(done.history.at(-1)!.at) + 90 * DAY;
    expect(items[keys.recommendation('ran')]).toBe(ttl);
    expect(items[keys.plan(done.plan_id!)]).toBe(ttl);
    expect(items[keys.planStep(done.plan_id!, 0)]).toBe(ttl);
  });

  it('GET of an expired recommendation answers 404 before DynamoDB deletes it; the day before it is there', async () => {
    const { c, approvalId } = await seedTest2({ retention_days: 1 });
    await rejectBy(c, approvalId);
    const ttl = (await ttls(c))[keys.recommendation('rec-003')] as number;

    const dayBefore = portsAt(() => new Date((ttl - 60) * 1000));
    const view = await viewRecommendation(c, 'rec-003', dayBefore);
    expect(view).toMatchObject({ status: 'rejected', approval: { status: 'rejected' } });

    const after = portsAt(() => new Date((ttl + 1) * 1000));
    await expect(viewRecommendation(c, 'rec-003', after)).rejects.toBeInstanceOf(NotFound);
    expect(await after.approvals.getApproval(c, approvalId)).toBeUndefined();
    const listed = await after.recommendations.listRecommendations(c, { limit: 10 });
    expect(listed.items.map((r) => r.id)).toEqual(['rec-004']);
    // Still in the table: only the reads treat it as gone.
    expect((await ttls(c))[keys.recommendation('rec-003')]).toBe(ttl);

    // Its id submitted again is a new recommendation, written over the expired item.
    const again = await coordinate(
      CoordinateRequest.parse({
        customer_id: c,
        recommendations: [rec({ id: 'rec-003', affected_resources: ['x-1'] })],
      }),
      after,
    );
    expect(again.duplicates).toEqual([]);
    const fresh = await after.recommendations.getRecommendations(c, ['rec-003']);
    expect(fresh).toEqual([expect.objectContaining({ status: 'approved', affected_resources: ['x-1'] })]);
    expect((await ttls(c))[keys.recommendation('rec-003')]).toBeUndefined();
  });
});

describe("retention of a coordination's conflict pages", () => {
  it("keeps them the policy's retention_days from the coordination, then reads find none", async () => {
    const c = customer();
    await deps.policies.putPolicy(c, PolicyInput.parse({ retention_days: 3 }));
    // One clock for the whole coordination: its records and its pages are stamped from the same instant.
    const coordinatedAt = new Date();
    await coordinate(
      CoordinateRequest.parse(seed.test2(c)),
      portsAt(() => coordinatedAt),
    );
    const [kept] = await deps.recommendations.getRecommendations(c, ['rec-003']);
    const pages = Object.entries(await ttls(c)).filter(([sk]) => sk.startsWith(`X#${kept.coordination_id}#`));
    expect(pages.length).toBeGreaterThan(0);
    const ttl = epoch(coordinatedAt.toISOString()) + 3 * DAY;
    for (const [, pageTtl] of pages) expect(pageTtl).toBe(ttl);

    const dayBefore = portsAt(() => new Date((ttl - DAY) * 1000));
    const listed = await dayBefore.recommendations.listCoordinationConflicts(c, kept.coordination_id, { limit: 10 });
    expect(listed?.conflicts.length).toBeGreaterThan(0);
    const after = portsAt(() => new Date((ttl + 1) * 1000));
    expect(
      await after.recommendations.listCoordinationConflicts(c, kept.coordination_id, { limit: 10 }),
    ).toBeUndefined();
  });
});
