// Resource locks: one item per locked resource and one set of running executions per customer,
// taken in one transaction, so two executions never touch one resource and a customer never runs
// more than its max_concurrent_executions. Holding again as the same holder is allowed (retries).
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LockResult, ResourceLocks } from '../core/ports/resource-locks.js';
import { keys } from './dynamo.js';

/** A busy reason names this many resources: it becomes the task's error cause, which travels in the workflow's state. */
const NAMED_BUSY = 5;
/** One transaction holds 100 items: the execution slot and 99 resources. */
const RESOURCES_PER_TRANSACTION = 99;

export class DynamoResourceLocks implements ResourceLocks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
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
            acquired_at: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        },
      }));
      const slot = n === 0 ? [this.slotUpdate(customerId, holder, maxConcurrent)] : [];
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [...slot, ...items] }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        await this.release(customerId, holder, chunks.slice(0, n).flat());
        return { acquired: false, reason: await this.whyBusy(customerId, holder, error, n === 0, chunk) };
      }
    }
    return { acquired: true };
  }

  async release(customerId: string, holder: string, resources: readonly string[]): Promise<void> {
    await Promise.all(
      [...new Set(resources)].map((resource) =>
        this.ignoreNotHeld(
          this.db.send(
            new DeleteCommand({
              TableName: this.table,
              Key: { pk: keys.customer(customerId), sk: keys.resourceLock(resource) },
              ConditionExpression: 'holder = :holder',
              ExpressionAttributeValues: { ':holder': holder },
            }),
          ),
        ),
      ),
    );
    await this.ignoreNotHeld(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keys.customer(customerId), sk: keys.runningExecutions },
          UpdateExpression: 'DELETE holders :me',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':me': new Set([holder]) },
        }),
      ),
    );
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
    const reasons = error.CancellationReasons ?? [];
    if (withSlot && reasons[0]?.Code === 'ConditionalCheckFailed')
      return `the customer's maximum of concurrent executions is reached`;
    const offset = withSlot ? 1 : 0;
    const allBusy = chunk.filter((_, i) => reasons[i + offset]?.Code === 'ConditionalCheckFailed');
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

  private async ignoreNotHeld(sending: Promise<unknown>): Promise<void> {
    try {
      await sending;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
