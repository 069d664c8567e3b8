// Dependency waiters in the single table: C#<customer> / WAIT#<dependency>#<dependent>, holding the
// dependent's current task token. Claimed by a conditional delete, so each token is sent once.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DependencyWaiter, DependencyWaiters } from '../core/ports/dependency-waiters.js';
import { fromItem, keys } from './dynamo.js';
import { queryByPrefix } from './query-prefix.js';

const prefix = (dependencyId: string) => `WAIT#${dependencyId}#`;

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
    const items = await queryByPrefix(this.db, this.table, keys.customer(customerId), prefix(dependencyId));
    // begins_with also matches a dependency whose id extends this one's with '#': keep exact matches.
    return items
      .map((item) => fromItem<DependencyWaiter>(item))
      .filter((waiter) => waiter.dependency_id === dependencyId)
      .map(({ dependency_id, dependent_id, task_token }) => ({ dependency_id, dependent_id, task_token }));
  }

  async claim(customerId: string, waiter: DependencyWaiter): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: this.key(customerId, waiter),
          ConditionExpression: 'task_token = :token',
          ExpressionAttributeValues: { ':token': waiter.task_token },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private key(customerId: string, waiter: Pick<DependencyWaiter, 'dependency_id' | 'dependent_id'>) {
    return { pk: keys.customer(customerId), sk: `${prefix(waiter.dependency_id)}${waiter.dependent_id}` };
  }
}
