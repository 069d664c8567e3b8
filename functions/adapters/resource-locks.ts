// Resource locks: one item per locked resource and one set of running executions per customer,
// taken in one transaction, so two executions never touch one resource and a customer never runs
// more than its max_concurrent_executions. Holding again as the same holder is allowed (retries).
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../core/ports/clock.js';
import type { ActionSlot, LockResult, ResourceLocks } from '../core/ports/resource-locks.js';
import { conditionFailed, deleteIf, transact, updateIf } from './conditional-writes.js';
import { keys } from './dynamo.js';
import { systemClock } from './system-clock.js';

/** A busy reason names this many resources: it becomes the task's error cause, which travels in the workflow's state. */
const NAMED_BUSY = 5;
/** One transaction holds 100 items: the first one also takes the slots (execution, and action when limited). */
const ITEMS_PER_TRANSACTION = 100;

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
    actionSlot?: ActionSlot,
  ): Promise<LockResult> {
    // Sorted, so two executions wanting overlapping sets in several chunks cannot deadlock each other.
    const sorted = [...new Set(resources)].sort();
    const first = ITEMS_PER_TRANSACTION - (actionSlot ? 2 : 1);
    const chunks = [sorted.slice(0, first)];
    for (let i = first; i < sorted.length; i += ITEMS_PER_TRANSACTION - 1)
      chunks.push(sorted.slice(i, i + ITEMS_PER_TRANSACTION - 1));
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
      // The slots go with the first chunk: taken in the same transaction as its locks.
      const slots =
        n === 0
          ? [
              this.slotUpdate(customerId, keys.runningExecutions, holder, maxConcurrent),
              ...(actionSlot
                ? [this.slotUpdate(customerId, keys.runningAction(actionSlot.action), holder, actionSlot.limit)]
                : []),
            ]
          : [];
      const cancelled = await transact(this.db, [...slots, ...items]);
      if (cancelled) {
        await this.release(customerId, holder, chunks.slice(0, n).flat(), actionSlot?.action);
        const reason = await this.whyBusy(customerId, holder, cancelled, n === 0 ? slots.length : 0, chunk, actionSlot);
        return { acquired: false, reason };
      }
    }
    return { acquired: true };
  }

  /** What this holder does not hold (any more) is left as it is. */
  async release(customerId: string, holder: string, resources: readonly string[], action?: string): Promise<void> {
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
    const slotItems = [keys.runningExecutions, ...(action ? [keys.runningAction(action)] : [])];
    await Promise.all(
      slotItems.map((sk) =>
        updateIf(this.db, {
          TableName: this.table,
          Key: { pk: keys.customer(customerId), sk },
          UpdateExpression: 'DELETE holders :me',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':me': new Set([holder]) },
        }),
      ),
    );
  }

  private slotUpdate(customerId: string, sk: string, holder: string, maxConcurrent: number) {
    return {
      Update: {
        TableName: this.table,
        Key: { pk: keys.customer(customerId), sk },
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
    slots: number,
    chunk: string[],
    actionSlot?: ActionSlot,
  ): Promise<string> {
    if (slots > 0 && conditionFailed(error, 0)) return `the customer's maximum of concurrent executions is reached`;
    if (slots > 1 && actionSlot && conditionFailed(error, 1))
      return `the customer's limit of ${actionSlot.limit} concurrent ${actionSlot.action} executions is reached`;
    const offset = slots;
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
