// Recommendations, and what a coordination writes with them (approvals, plans, conflict pages), in the single table.
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { StaleState } from '../core/model/errors.js';
import type { Recommendation } from '../core/model/records.js';
import { ACTIVE_STATUSES, type RecommendationStatus } from '../core/model/statuses.js';
import type { ConflictPage, CoordinationChange, Page, RecommendationStore, StatusChange } from '../core/ports/index.js';
import { isRetained, retentionExpiry } from '../core/rules/retention.js';
import { transact, updateIf } from './conditional-writes.js';
import { conflictPageItems, readConflictPage } from './coordination-conflicts.js';
import { acquireCustomerLock } from './customer-lock.js';
import { fromItem, keys, type TransactItem } from './dynamo.js';
import { decodePageToken, pageOf } from './page-token.js';
import { queryAll } from './paginate.js';
import { isLive, liveFilter } from './retention.js';
import { approvalClosing, recommendationStatusUpdate } from './status-updates.js';
import { TableStore } from './table-store.js';

// DynamoDB allows 100 items and 4 MB per transaction; stay clear of the byte limit.
const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;
/** Writes and reads of one coordination in flight at once, well within a table's capacity. */
const PARALLEL_WRITES = 4;

/** BatchWriteItem, 25 items a call, retrying what DynamoDB leaves unprocessed (throttling) with backoff. */
async function batchWrite(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await inParallel(chunks, PARALLEL_WRITES, async (chunk) => {
    let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [table]: chunk.map((Item) => ({ PutRequest: { Item } })),
    };
    for (let attempt = 0; request && (request[table]?.length ?? 0) > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const result = await db.send(new BatchWriteCommand({ RequestItems: request }));
      request = result.UnprocessedItems as typeof request;
    }
  });
}

async function inParallel<T>(items: T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export class DynamoRecommendationStore extends TableStore implements RecommendationStore {
  /** For the health check: one read of a key that is never written. */
  async isAvailable(): Promise<boolean> {
    await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: keys.health, sk: keys.health } }));
    return true;
  }

  lockCustomer(customerId: string) {
    return acquireCustomerLock(this.db, this.table, customerId);
  }

  async getRecommendations(customerId: string, ids: readonly string[]): Promise<Recommendation[]> {
    const found: Recommendation[] = [];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100) as string[]);
    await inParallel(chunks, PARALLEL_WRITES, async (chunk) => {
      let request: Record<string, { Keys: Record<string, string>[] }> | undefined = {
        [this.table]: { Keys: chunk.map((id) => ({ pk: keys.customer(customerId), sk: keys.recommendation(id) })) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const result = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        const now = this.clock.now();
        for (const item of result.Responses?.[this.table] ?? [])
          if (isLive(item, now)) found.push(fromItem<Recommendation>(item));
        request = result.UnprocessedKeys as typeof request;
      }
    });
    return found;
  }

  async listActive(customerId: string): Promise<Recommendation[]> {
    const lists = await Promise.all(
      ACTIVE_STATUSES.map((status) => this.queryAll(keys.recommendationsByStatus(customerId, status))),
    );
    return lists.flat();
  }

  async listBeatenBy(customerId: string, winnerId: string): Promise<Recommendation[]> {
    const live = liveFilter(this.clock.now());
    return this.queryAll(keys.recommendationsByStatus(customerId, 'discarded'), {
      FilterExpression: `resolved_by = :winner AND (${live.FilterExpression})`,
      ExpressionAttributeNames: live.names,
      ExpressionAttributeValues: { ':winner': winnerId, ...live.values },
    });
  }

  async listRecommendations(
    customerId: string,
    query: { status?: RecommendationStatus; limit: number; next?: string },
  ): Promise<Page<Recommendation>> {
    const byStatus = query.status !== undefined;
    const partition = byStatus ? keys.recommendationsByStatus(customerId, query.status!) : keys.customer(customerId);
    const live = liveFilter(this.clock.now());
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        ...(byStatus
          ? {
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :p',
              ExpressionAttributeValues: { ':p': partition, ...live.values },
            }
          : {
              KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
              ExpressionAttributeValues: { ':p': partition, ':r': keys.recommendationPrefix, ...live.values },
            }),
        FilterExpression: live.FilterExpression,
        ExpressionAttributeNames: live.names,
        ScanIndexForward: !byStatus,
        Limit: query.limit,
        ExclusiveStartKey: query.next
          ? decodePageToken(query.next, byStatus ? 'gsi1pk' : 'pk', partition, {
              pk: keys.customer(customerId),
              skPrefix: keys.recommendationPrefix,
            })
          : undefined,
      }),
    );
    return pageOf<Recommendation>(result, byStatus);
  }

  listCoordinationConflicts(
    customerId: string,
    coordinationId: string,
    query: { limit: number; next?: string },
  ): Promise<ConflictPage | undefined> {
    return readConflictPage(this.db, this.table, customerId, coordinationId, query, this.clock.now());
  }

  async saveCoordination(change: CoordinationChange): Promise<void> {
    const pk = keys.customer(change.customerId);
    const active = new Set<string>(ACTIVE_STATUSES);
    const recommendationItem = (r: Recommendation) => ({
      pk,
      sk: keys.recommendation(r.id),
      ...r,
      entity: 'recommendation',
      gsi1pk: keys.recommendationsByStatus(r.customer_id, r.status),
      gsi1sk: keys.recommendationOrder(r),
    });
    // Status changes go first: if one lost a race, the whole coordination is retried before anything new is written.
    const at = change.changed[0]?.entry.at ?? this.clock.now().toISOString();
    const ending = change.changed.filter((c) => isRetained(c.to));
    const settledNow = change.created.filter((r) => !active.has(r.status));
    // One policy read gives every recommendation this coordination ends, and its conflict pages, their TTL.
    const days =
      ending.length + settledNow.length > 0 || change.conflictPages
        ? await this.retention.retentionDays(change.customerId)
        : 0;
    const ttls = new Map(ending.map((c) => [c.id, retentionExpiry(c.entry.at, days)]));
    const items: TransactItem[] = [
      ...change.changed.map((c) => ({
        Update: recommendationStatusUpdate(this.table, change.customerId, c, { ttl: ttls.get(c.id) }),
      })),
      ...change.cancelledApprovals.map(({ id, reason }) => ({
        Update: approvalClosing(this.table, change.customerId, id, { to: 'cancelled', at, reason }),
      })),
      ...change.created.filter((r) => active.has(r.status)).map((r) => this.putNew(recommendationItem(r))),
      ...change.approvals.map((a) =>
        this.putNew({
          pk,
          sk: keys.approval(a.id),
          ...a,
          entity: 'approval',
          gsi1pk: keys.approvalsByStatus(a.customer_id, a.status),
          gsi1sk: keys.approvalOrder(a),
        }),
      ),
      ...change.plans.map((p) => this.putNew({ pk, sk: keys.plan(p.id), ...p, entity: 'plan' })),
    ];
    // Recommendations that ended at once (discarded, cancelled...) and the conflict pages start no
    // workflow and are new ids read under the customer's lease: plain batch writes, far cheaper than
    // transactions when a crowd of 1,000 loses to one.
    const settled = [
      ...settledNow.map((r) => ({ ...recommendationItem(r), ttl: retentionExpiry(r.updated_at, days) })),
      ...(change.conflictPages
        ? conflictPageItems(change.conflictPages).map((item) => ({ pk, ...item, ttl: retentionExpiry(at, days) }))
        : []),
    ];
    const [first, ...rest] = [...transactionChunks(items)];
    if (first) await this.transact(first);
    await Promise.all([
      inParallel(rest, PARALLEL_WRITES, (chunk) => this.transact(chunk)),
      batchWrite(this.db, this.table, settled),
    ]);
    await inParallel(ending, PARALLEL_WRITES, (c) => this.retention.expireRelated(change.customerId, c.id));
  }

  async changeStatus(customerId: string, change: StatusChange): Promise<boolean> {
    const ttl = await this.retention.expiryOf(customerId, change);
    const changed = await updateIf(this.db, recommendationStatusUpdate(this.table, customerId, change, { ttl }));
    if (changed && ttl !== undefined) await this.retention.expireRelated(customerId, change.id);
    return changed;
  }

  private async transact(chunk: TransactItem[]): Promise<void> {
    const cancelled = await transact(this.db, chunk);
    if (cancelled)
      throw new StaleState(
        `coordination lost a race: ${(cancelled.CancellationReasons ?? []).map((r) => r.Code).join(',')}`,
      );
  }

  /** Written only if no item has its key, or only an expired one (gone for readers, not yet deleted by DynamoDB). */
  private putNew(item: Record<string, unknown>): TransactItem {
    const live = liveFilter(this.clock.now());
    return {
      Put: {
        TableName: this.table,
        Item: item,
        ConditionExpression: `attribute_not_exists(pk) OR NOT (${live.FilterExpression})`,
        ExpressionAttributeNames: live.names,
        ExpressionAttributeValues: live.values,
      },
    };
  }

  private queryAll(
    gsi1pk: string,
    filter?: Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
  ) {
    return queryAll<Recommendation>(this.db, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ...(filter
        ? { FilterExpression: filter.FilterExpression, ExpressionAttributeNames: filter.ExpressionAttributeNames }
        : {}),
      ExpressionAttributeValues: { ':p': gsi1pk, ...filter?.ExpressionAttributeValues },
    });
  }
}

function* transactionChunks(items: TransactItem[]): Generator<TransactItem[]> {
  let chunk: TransactItem[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = JSON.stringify(item).length;
    if (chunk.length > 0 && (chunk.length === MAX_TRANSACTION_ITEMS || bytes + size > MAX_TRANSACTION_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
