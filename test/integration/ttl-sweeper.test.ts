// The local stand-in for DynamoDB's TTL deletion (local/ttl-sweeper.ts) on DynamoDB Local, which
// accepts a TTL but never deletes: expired items go, the others stay.
import { randomUUID } from 'node:crypto';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import { localClient } from '../../local/dynamodb.js';
import { startTtlSweeper, sweepExpired } from '../../local/ttl-sweeper.js';
import { freshTable } from '../support/table.js';

let client: ReturnType<typeof localClient>;
let db: DynamoDBDocumentClient;
let table: string;
const NOW = new Date('2026-06-01T00:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

beforeAll(async () => {
  const t = await freshTable();
  table = t.tableName;
  client = localClient(t.endpoint);
  db = DynamoDBDocumentClient.from(client);
});
afterAll(() => client.destroy());

const put = (sk: string, ttl?: unknown) =>
  db.send(new PutCommand({ TableName: table, Item: { pk: 'SWEEP', sk, ...(ttl === undefined ? {} : { ttl }) } }));
const exists = async (sk: string) =>
  (await db.send(new GetCommand({ TableName: table, Key: { pk: 'SWEEP', sk }, ConsistentRead: true }))).Item !==
  undefined;

describe('the TTL sweeper', () => {
  it('works on a table made from TABLE_SCHEMA, with TTL on the same attribute as on AWS', async () => {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(TimeToLiveDescription).toEqual({ AttributeName: TABLE_SCHEMA.ttlAttribute, TimeToLiveStatus: 'ENABLED' });
  });

  it('deletes the items whose TTL has passed, and only those', async () => {
    await put('past', nowSeconds - 10);
    await put('exactly-now', nowSeconds);
    await put('future', nowSeconds + 10);
    await put('no-ttl');
    await put('string-ttl', String(nowSeconds - 10));

    expect(await sweepExpired(client, table, NOW)).toBe(2);

    expect(await exists('past')).toBe(false);
    expect(await exists('exactly-now')).toBe(false);
    expect(await exists('future')).toBe(true);
    expect(await exists('no-ttl')).toBe(true);
    // AWS ignores a TTL that is not a Number; so does the sweeper.
    expect(await exists('string-ttl')).toBe(true);
    expect(await sweepExpired(client, table, NOW)).toBe(0);
  });

  it('runs on its timer until stopped, and a sweep asked for while one runs joins it', async () => {
    const sk = `timer-${randomUUID()}`;
    await put(sk, nowSeconds - 1);
    const sweeper = startTtlSweeper({ client, table, everyMs: 50, now: () => NOW });
    try {
      await expect.poll(() => exists(sk), { timeout: 10_000, interval: 50 }).toBe(false);
      const [a, b] = [sweeper.sweep(), sweeper.sweep()];
      expect(a).toBe(b);
      await a;
    } finally {
      await sweeper.stop();
    }
  });
});
