// Dependency waiters in the single table: C#<customer> / WAIT#<dependency>#<dependent>, holding the
// dependent's current task token. Claimed by a conditional delete, so each token is sent once.
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DependencyWaiter, DependencyWaiters } from '../core/ports/dependency-waiters.js';
import { deleteIf } from './conditional-writes.js';
import { keys } from './dynamo.js';
import { queryAll, withPrefix } from './paginate.js';

export class DynamoDependencyWaiters implements DependencyWaiters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(customerId: string, waiter: DependencyWaiter): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...this.key(customerId, waiter), entity: 'dependency_waiter', ...waiter },
      }),
    );
  }

  async waitingOn(customerId: string, dependencyId: string): Promise<DependencyWaiter[]> {
    const query = withPrefix(this.table, keys.customer(customerId), keys.dependencyWaitersOf(dependencyId));
    // begins_with also matches a dependency whose id extends this one's with '#': keep exact matches.
    return (await queryAll<DependencyWaiter>(this.db, query))
      .filter((waiter) => waiter.dependency_id === dependencyId)
      .map(({ dependency_id, dependent_id, task_token }) => ({ dependency_id, dependent_id, task_token }));
  }

  claim(customerId: string, waiter: DependencyWaiter): Promise<boolean> {
    return deleteIf(this.db, {
      TableName: this.table,
      Key: this.key(customerId, waiter),
      ConditionExpression: 'task_token = :token',
      ExpressionAttributeValues: { ':token': waiter.task_token },
    });
  }

  private key(customerId: string, waiter: Pick<DependencyWaiter, 'dependency_id' | 'dependent_id'>) {
    return { pk: keys.customer(customerId), sk: keys.dependencyWaiter(waiter.dependency_id, waiter.dependent_id) };
  }
}
