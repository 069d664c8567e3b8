// DynamoDB's own limits, on DynamoDB Local (issue 7 §1): an item of at most 400 KB, a transaction of
// at most 100 items. The first part shows the real error at each; the second that Arbiter's own
// writes never meet them: a coordination of 250 kept recommendations splits its writes, and the
// largest recommendation the API accepts, with its bounded conflicts, stays well under 400 KB.
// (saveCoordination writes what starts a workflow in transactions of at most 100 items and 3.5 MB,
// the first alone so a lost race writes nothing new, and what ended at once in batches of 25.)
import { randomUUID } from 'node:crypto';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import type { CoordinationPorts as CoordinateDeps } from '../../functions/core/ports/coordination.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { rec } from '../support/fixtures.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

/** DynamoDB's documented maximum item size, names and values together. */
const ITEM_LIMIT = 400 * 1024;

let db: ReturnType<typeof documentClient>;
let table: string;
let deps: CoordinateDeps & ReturnType<typeof dynamoStores>;

beforeAll(async () => {
  const t = await freshTable();
  table = t.tableName;
  db = documentClient({ endpoint: t.endpoint });
  deps = {
    ...dynamoStores(t.endpoint, table),
    workflow: new RecordingWorkflow(),
    clock: { now: () => new Date() },
    ids: { next: newId },
  };
});

const customer = () => `cust-${randomUUID().slice(0, 8)}`;

describe('DynamoDB Local enforces the limits', () => {
  it('refuses an item over 400 KB with ValidationException, and stores an item just under it', async () => {
    const item = (bytes: number) => ({ pk: 'LIMITS', sk: `item-${bytes}`, blob: 'x'.repeat(bytes) });
    await expect(db.send(new PutCommand({ TableName: table, Item: item(ITEM_LIMIT + 1) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/Item size has exceeded the maximum allowed size/),
    });
    await expect(db.send(new PutCommand({ TableName: table, Item: item(ITEM_LIMIT - 1024) }))).resolves.toBeDefined();
  });

  it('refuses a transaction of 101 items with ValidationException, and takes one of 100', async () => {
    const puts = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({ Put: { TableName: table, Item: { pk: 'LIMITS', sk: `${tag}-${i}` } } }));
    await expect(db.send(new TransactWriteCommand({ TransactItems: puts(101, 'over') }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/100/),
    });
    await expect(db.send(new TransactWriteCommand({ TransactItems: puts(100, 'at') }))).resolves.toBeDefined();
  });
});

describe("Arbiter's writes stay within them", () => {
  it('a coordination of 250 kept recommendations needing approval (500 new items) is stored whole', async () => {
    const c = customer();
    const recommendations = Array.from({ length: 250 }, (_, i) =>
      rec({ id: `r-${i}`, risk_level: 'medium', affected_resources: [`vol-${i}`] }),
    );
    const result = await coordinate(CoordinateRequest.parse({ customer_id: c, recommendations }), deps);
    expect(result).toMatchObject({ recommendations_kept: 250, approvals_required: 250 });
    expect((await deps.recommendations.listActive(c)).length).toBe(250);
    const approvals = await deps.approvals.listPending(c, new Date().toISOString());
    expect(approvals.length).toBe(250);
  });

  it('250 recommendations superseding 250 pending ones (status changes, cancelled approvals, new items) are stored whole', async () => {
    const c = customer();
    const batch = (priority: number, prefix: string) =>
      Array.from({ length: 250 }, (_, i) =>
        rec({ id: `${prefix}-${i}`, risk_level: 'medium', affected_resources: [`vol-${i}`], priority }),
      );
    await coordinate(CoordinateRequest.parse({ customer_id: c, recommendations: batch(1, 'old') }), deps);
    const result = await coordinate(
      CoordinateRequest.parse({ customer_id: c, recommendations: batch(9, 'new') }),
      deps,
    );
    expect(result.superseded.length).toBe(250);
    expect((await deps.recommendations.listActive(c)).map((r) => r.id).filter((id) => id.startsWith('old'))).toEqual(
      [],
    );
    expect(
      (await deps.approvals.listPending(c, new Date().toISOString())).every((a) =>
        a.recommendation_id.startsWith('new'),
      ),
    ).toBe(true);
  });

  it('the largest recommendation the API accepts, losing to 999 rivals on its resources (a batch holds 1,000), stays under 400 KB', async () => {
    const c = customer();
    const resources = Array.from({ length: 1000 }, (_, i) => `res-${i}-`.padEnd(256, 'x'));
    const big = rec({ id: 'big', affected_resources: resources, priority: 1, description: 'd'.repeat(4000) });
    const rivals = Array.from({ length: 999 }, (_, i) =>
      rec({ id: `rival-${i}`, affected_resources: [resources[i]], priority: 9 }),
    );
    const result = await coordinate(
      CoordinateRequest.parse({ customer_id: c, recommendations: [big, ...rivals] }),
      deps,
    );
    expect(result.not_kept.map((r) => r.id)).toEqual(['big']);
    const [stored] = await deps.recommendations.getRecommendations(c, ['big']);
    expect(stored.conflicts_total).toBe(999);
    expect(stored.conflicts_truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(ITEM_LIMIT);
  });
});
