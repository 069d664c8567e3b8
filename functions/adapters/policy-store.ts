// Per-customer approval policy.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PolicyInput } from '../core/model/inputs.js';
import type { Clock } from '../core/ports/clock.js';
import type { PolicyStore } from '../core/ports/index.js';
import { fromItem, keys } from './dynamo.js';
import { systemClock } from './system-clock.js';

export class DynamoPolicyStore implements PolicyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async getPolicy(customerId: string): Promise<PolicyInput | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: keys.customer(customerId), sk: keys.policy } }),
    );
    return result.Item ? fromItem<{ policy: PolicyInput }>(result.Item).policy : undefined;
  }

  async putPolicy(customerId: string, policy: PolicyInput): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: keys.customer(customerId),
          sk: keys.policy,
          entity: 'policy',
          policy,
          updated_at: this.clock.now().toISOString(),
        },
      }),
    );
  }
}
