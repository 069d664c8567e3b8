// What the reconciler reads and claims in the single table. In-flight recommendations are found by
// a paginated Scan filtered on entity and status: the table has no index across customers, and the
// reconciler runs every few minutes. Repairs are counted in C#<customer> / REPAIR#<recommendation>,
// moved from n to n+1 by a conditional write, so one reconciler wins each repair.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Recommendation } from '../core/model/records.js';
import type { RecommendationStatus } from '../core/model/statuses.js';
import type { ReconcileStore } from '../core/ports/reconcile.js';
import { updateIf } from './conditional-writes.js';
import { keys } from './dynamo.js';
import { scanAll } from './paginate.js';

const repairKey = (customerId: string, recommendationId: string) => ({
  pk: keys.customer(customerId),
  sk: keys.repairs(recommendationId),
});

export class DynamoReconcileStore implements ReconcileStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  inFlight(statuses: readonly RecommendationStatus[]): Promise<Recommendation[]> {
    return scanAll(this.db, {
      TableName: this.table,
      FilterExpression: `entity = :entity AND #status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':entity': 'recommendation',
        ...Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])),
      },
      ConsistentRead: true,
    });
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
