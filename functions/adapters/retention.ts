// Retention through DynamoDB TTL (core/rules/retention.ts). A terminal status change stamps `ttl` on
// the recommendation in the same write (status-updates.ts); once that write landed, `expireRelated`
// stamps the same TTL on the items that belong to it: its approval (with the votes), its plan and the
// plan's step results, the reconciler's repair count. Reads skip expired items (`isLive`), so an ended
// recommendation answers 404 from its expiry on, whenever DynamoDB gets round to deleting it. The
// recommendation says the stamping is pending (RELATED_TTL_PENDING) in the write that ends it, until it
// is done: a writer that died between the two leaves the mark, and the reconciler finishes the job.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { StatusChange } from '../core/ports/coordination.js';
import { policyFrom } from '../core/rules/policy.js';
import { isExpired, isRetained, retentionExpiry } from '../core/rules/retention.js';
import { updateIf } from './conditional-writes.js';
import { keys, RELATED_TTL_PENDING } from './dynamo.js';
import { sortKeysAll, withPrefix } from './paginate.js';
import { DynamoPolicyStore } from './policy-store.js';
import { TABLE_SCHEMA } from './table-schema.js';

const TTL = TABLE_SCHEMA.ttlAttribute;

/** Whether a raw item is still there for readers at `now` (its TTL, if any, has not passed). */
export function isLive(item: Record<string, unknown>, now: Date): boolean {
  return !isExpired(item[TTL], now);
}

/** A condition that keeps expired items out of a Query's answer (Limit still counts them). */
export function liveFilter(now: Date) {
  return {
    FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :ttlNow',
    names: { '#ttl': TTL },
    values: { ':ttlNow': Math.floor(now.getTime() / 1000) },
  };
}

export class Retention {
  private readonly policies: DynamoPolicyStore;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.policies = new DynamoPolicyStore(db, table);
  }

  /** The customer's current retention, read when something ends. */
  async retentionDays(customerId: string): Promise<number> {
    return policyFrom(await this.policies.getPolicy(customerId)).retention_days;
  }

  /** The TTL a status change stamps: only a terminal one has one. */
  async expiryOf(customerId: string, change: Pick<StatusChange, 'to' | 'entry'>): Promise<number | undefined> {
    if (!isRetained(change.to)) return undefined;
    return retentionExpiry(change.entry.at, await this.retentionDays(customerId));
  }

  /**
   * Stamps the recommendation's TTL on the items that belong to it, if it (still) has one: a no-op for
   * an active or a revived one. Idempotent, so a retried task may run it again.
   */
  async expireRelated(customerId: string, recommendationId: string): Promise<void> {
    const pk = keys.customer(customerId);
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk, sk: keys.recommendation(recommendationId) },
        ConsistentRead: true,
        // Only what names the related items: not the history and conflicts.
        ProjectionExpression: '#ttl, approval_id, plan_id',
        ExpressionAttributeNames: { '#ttl': TTL },
      }),
    );
    const ttl = Item?.[TTL];
    if (typeof ttl !== 'number') return;
    const sortKeys = [keys.repairs(recommendationId)];
    if (typeof Item?.approval_id === 'string') sortKeys.push(keys.approval(Item.approval_id));
    if (typeof Item?.plan_id === 'string') {
      sortKeys.push(
        keys.plan(Item.plan_id),
        ...(await sortKeysAll(this.db, withPrefix(this.table, pk, keys.planStepsOf(Item.plan_id)))),
      );
    }
    await Promise.all(sortKeys.map((sk) => this.stamp(pk, sk, ttl)));
    // All stamped: nothing left for the reconciler (unless it was revived, or ended again, meanwhile).
    await updateIf(this.db, {
      TableName: this.table,
      Key: { pk, sk: keys.recommendation(recommendationId) },
      UpdateExpression: `REMOVE ${RELATED_TTL_PENDING}`,
      ConditionExpression: `${RELATED_TTL_PENDING} = :ttl`,
      ExpressionAttributeValues: { ':ttl': ttl },
    });
  }

  private stamp(pk: string, sk: string, ttl: number) {
    return updateIf(this.db, {
      TableName: this.table,
      Key: { pk, sk },
      UpdateExpression: 'SET #ttl = :ttl',
      // Never creates an item (the repair count exists only for repaired ones).
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#ttl': TTL },
      ExpressionAttributeValues: { ':ttl': ttl },
    });
  }
}
