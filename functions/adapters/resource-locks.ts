// Resource locks: one item per locked resource and one set of running executions per customer,
// taken in one transaction, so two executions never touch one resource and a customer never runs
// more than its max_concurrent_executions. Holding again as the same holder is allowed (retries).
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../core/ports/clock.js';
import type { LockResult, ResourceLocks } from '../core/ports/resource-locks.js';
import { conditionFailed, deleteIf, transact, updateIf } from './conditional-writes.js';
import { keys } from './dynamo.js';
import { systemClock } from './system-clock.js';

/** A busy reason names this many resources: it becomes the task's error cause, which travels in the workflow's state. */
const NAMED_BUSY = 5;
/** One transaction holds 100 items: the execution slot and 99 resources. */
const RESOURCES_PER_TRANSACTION = 99;

export class DynamoResourceLocks implements ResourceLocks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async acquire(
    customerId: string,
    holder: string,
    resources: readonly string[],
    maxConcurrent: number,
  ): Promise<LockResult> {
    // Sorted, so two executions wanting overlapping sets in several chunks cannot deadlock each other.
    const sorted = [...new Set(resources)].sort();
    const chunks = [];
    for (let i = 0; i < Math.max(1, sorted.length); i += RESOURCES_PER_TRANSACTION)
      chunks.push(sorted.slice(i, i + RESOURCES_PER_TRANSACTION));
    for (const [n, chunk] of chunks.entries()) {
      const items = chunk.map((resource) => ({
        Put: {
          TableName: this.table,
          Item: {
            pk: keys.customer(customerId),
            sk: keys.resourceLock(resource),
            holder,
            acquired_at: this.clock.now().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        },
      }));
      const slot = n === 0 ? [this.slotUpdate(customerId, holder, maxConcurrent)] : [];
      const cancelled = await transact(this.db, [...slot, ...items]);
      if (cancelled) {
        await this.release(customerId, holder, chunks.slice(0, n).flat());
        return { acquired: false, reason: await this.whyBusy(customerId, holder, cancelled, n === 0, chunk) };
      }
    }
    return { acquired: true };
  }

  /** What this holder does not hold (any more) is left as it is. */
  async release(customerId: string, holder: string, resources: readonly string[]): Promise<void> {
    await Promise.all(
      [...new Set(resources)].map((resource) =>
        deleteIf(this.db, {
          TableName: this.table,
          Key: { pk: keys.customer(customerId), sk: keys.resourceLock(resource) },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      ),
    );
    await updateIf(this.db, {
      TableName: this.table,
      Key: { pk: keys.customer(customerId), sk: keys.runningExecutions },
      UpdateExpression: 'DELETE holders :me',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':me': new Set([holder]) },
    });
  }

  private slotUpdate(customerId: string, holder: string, maxConcurrent: number) {
    return {
      Update: {
        TableName: this.table,
        Key: { pk: keys.customer(customerId), sk: keys.runningExecutions },
        UpdateExpression: 'ADD holders :me',
        ConditionExpression: 'attribute_not_exists(holders) OR contains(holders, :holder) OR size(holders) < :max',
        ExpressionAttributeValues: { ':me': new Set([holder]), ':holder': holder, ':max': maxConcurrent },
      },
    };
  }

  private async whyBusy(
    customerId: string,
    holder: string,
    error: TransactionCanceledException,
    withSlot: boolean,
    chunk: string[],
  ): Promise<string> {
    if (withSlot && conditionFailed(error, 0)) return `the customer's maximum of concurrent executions is reached`;
    const offset = withSlot ? 1 : 0;
    const allBusy = chunk.filter((_, i) => conditionFailed(error, i + offset));
    const busy = allBusy.slice(0, NAMED_BUSY);
    const more = allBusy.length > busy.length ? ` and ${allBusy.length - busy.length} more` : '';
    const holders = await Promise.all(
      busy.map(async (resource) => {
        const item = await this.db.send(
          new GetCommand({
            TableName: this.table,
            Key: { pk: keys.customer(customerId), sk: keys.resourceLock(resource) },
          }),
        );
        return `${resource} (held by ${String(item.Item?.holder ?? 'another execution')})`;
      }),
    );
    return holders.length > 0 ? `resources busy: ${holders.join(', ')}${more}` : `lock contention for ${holder}; retry`;
  }
}
