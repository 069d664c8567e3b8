// What the reconciler reads and claims in the single table. In-flight recommendations are found by
// a paginated Scan filtered on entity and status: the table has no index across customers, and the
// reconciler runs every few minutes. Repairs are counted in C#<customer> / REPAIR#<recommendation>,
// moved from n to n+1 by a conditional write, so one reconciler wins each repair.
import { GetCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { Recommendation } from '../core/model/records.js';
import type { RecommendationStatus } from '../core/model/statuses.js';
import type { ReconcileStore, ReconcileSweep } from '../core/ports/reconcile.js';
import { updateIf } from './conditional-writes.js';
import { fromItem, keys, RELATED_TTL_PENDING } from './dynamo.js';
import { TableStore } from './table-store.js';

const repairKey = (customerId: string, recommendationId: string) => ({
  pk: keys.customer(customerId),
  sk: keys.repairs(recommendationId),
});

export class DynamoReconcileStore extends TableStore implements ReconcileStore {
  /** One Scan for both: the reconciler reads the whole table once a pass, not twice. */
  async sweep(statuses: readonly RecommendationStatus[]): Promise<ReconcileSweep> {
    const swept: ReconcileSweep = { inFlight: [], retentionPending: [] };
    const input = {
      TableName: this.table,
      FilterExpression: `entity = :entity AND (#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')}) OR attribute_exists(#pending))`,
      ExpressionAttributeNames: { '#status': 'status', '#pending': RELATED_TTL_PENDING },
      ExpressionAttributeValues: {
        ':entity': 'recommendation',
        ...Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])),
      },
      ConsistentRead: true,
    };
    const wanted = new Set<string>(statuses);
    for await (const page of paginateScan({ client: this.db }, input))
      for (const item of page.Items ?? []) {
        const rec = fromItem<Recommendation>(item);
        if (wanted.has(rec.status)) swept.inFlight.push(rec);
        else swept.retentionPending.push({ customer_id: rec.customer_id, id: rec.id, updated_at: rec.updated_at });
      }
    return swept;
  }

  finishRetention(customerId: string, recommendationId: string): Promise<void> {
    return this.retention.expireRelated(customerId, recommendationId);
  }

  async repairs(customerId: string, recommendationId: string): Promise<number> {
    const item = await this.db.send(
      new GetCommand({ TableName: this.table, Key: repairKey(customerId, recommendationId), ConsistentRead: true }),
    );
    return typeof item.Item?.repairs === 'number' ? item.Item.repairs : 0;
  }

  claimRepair(customerId: string, recommendationId: string, seen: number, at: string): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.table,
      Key: repairKey(customerId, recommendationId),
      UpdateExpression: 'SET repairs = :next, repaired_at = :at, entity = :entity',
      ConditionExpression: seen === 0 ? 'attribute_not_exists(repairs)' : 'repairs = :seen',
      ExpressionAttributeValues: {
        ':next': seen + 1,
        ':at': at,
        ':entity': 'repair',
        ...(seen === 0 ? {} : { ':seen': seen }),
      },
    });
  }
}
