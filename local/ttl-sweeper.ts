// The local stand-in for DynamoDB's TTL deletion. On AWS, DynamoDB deletes an item some time after
// its `ttl` (epoch seconds) has passed, in the background; DynamoDB Local accepts the TTL setting but
// never deletes anything. The sweeper makes the local table as strict as AWS: every so often it scans
// for expired items and deletes them, each under the condition that its TTL has still passed (an item
// revived meanwhile, its TTL removed or moved, stays). Nothing relies on the deletion: readers already
// treat an expired item as gone (functions/adapters/retention.ts), as they must on AWS, where it can
// take days.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { deleteIf } from '../functions/adapters/conditional-writes.js';
import { TABLE_SCHEMA } from '../functions/adapters/table-schema.js';

const TTL = TABLE_SCHEMA.ttlAttribute;
/** AWS deletes within days; locally a minute is soon enough to see it and rare enough to cost nothing. */
export const SWEEP_EVERY_MS = 60_000;

/** Deletes the items whose TTL is at or before `now`; resolves to how many it deleted. */
export async function sweepExpired(client: DynamoDBClient, table: string, now: Date): Promise<number> {
  // Only wraps the caller's client: the sweeper opens no connection of its own.
  const db = DynamoDBDocumentClient.from(client);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const expired = { ':now': nowSeconds };
  const names = { '#ttl': TTL };
  let deleted = 0;
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      // Only a Number TTL counts, as on AWS.
      FilterExpression: 'attribute_type(#ttl, :n) AND #ttl <= :now',
      ProjectionExpression: `${TABLE_SCHEMA.partitionKey}, ${TABLE_SCHEMA.sortKey}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...expired, ':n': 'N' },
    },
  );
  for await (const page of pages) {
    for (const key of page.Items ?? []) {
      const gone = await deleteIf(db, {
        TableName: table,
        Key: key,
        ConditionExpression: '#ttl <= :now',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: expired,
      });
      if (gone) deleted++;
    }
  }
  return deleted;
}

export interface TtlSweeper {
  /** One sweep now (also what the timer runs); resolves to how many items it deleted. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** Sweeps every `everyMs` until stopped; a sweep under way finishes first. Failures are reported, not thrown. */
export function startTtlSweeper(options: {
  client: DynamoDBClient;
  table: string;
  everyMs?: number;
  now?: () => Date;
  onError?: (error: unknown) => void;
}): TtlSweeper {
  const now = options.now ?? (() => new Date());
  let running: Promise<number> | undefined;
  const sweep = () =>
    (running ??= sweepExpired(options.client, options.table, now()).finally(() => {
      running = undefined;
    }));
  const timer = setInterval(
    () => void sweep().catch((error) => options.onError?.(error)),
    options.everyMs ?? SWEEP_EVERY_MS,
  );
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
