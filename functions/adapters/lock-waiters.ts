// Lock waiters in the single table: C#<customer> / LOCKWAIT#<resource>#<recommendation>, with the
// time the plan started waiting (its place in the queue) and its current task token.
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LockWaiter, LockWaiters } from '../core/ports/lock-waiters.js';
import { deleteIf } from './conditional-writes.js';
import { keys } from './dynamo.js';
import { queryAll, withPrefix } from './paginate.js';

const key = (customerId: string, resource: string, recommendationId: string) => ({
  pk: keys.customer(customerId),
  sk: keys.lockWaiter(resource, recommendationId),
});

export class DynamoLockWaiters implements LockWaiters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(customerId: string, waiter: LockWaiter): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(customerId, waiter.resource, waiter.recommendation_id), entity: 'lock_waiter', ...waiter },
      }),
    );
  }

  async queue(customerId: string, resource: string): Promise<LockWaiter[]> {
    const query = withPrefix(this.table, keys.customer(customerId), keys.lockWaitersOf(resource));
    // begins_with also matches resources whose name extends this one's with '#': keep exact matches.
    const waiters = (await queryAll<LockWaiter>(this.db, query)).filter((waiter) => waiter.resource === resource);
    return waiters.sort(
      (a, b) => a.since.localeCompare(b.since) || a.recommendation_id.localeCompare(b.recommendation_id),
    );
  }

  claim(customerId: string, waiter: LockWaiter): Promise<boolean> {
    return deleteIf(this.db, {
      TableName: this.table,
      Key: key(customerId, waiter.resource, waiter.recommendation_id),
      ConditionExpression: 'task_token = :token',
      ExpressionAttributeValues: { ':token': waiter.task_token },
    });
  }

  async leave(customerId: string, recommendationId: string, resources: readonly string[]): Promise<void> {
    await Promise.all(
      resources.map((resource) =>
        this.db.send(new DeleteCommand({ TableName: this.table, Key: key(customerId, resource, recommendationId) })),
      ),
    );
  }
}
