// Approvers of a customer and the hashes of their API keys. An email is an approver of a
// customer at most once (a uniqueness item guards it).
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StateConflict } from '../core/model/errors.js';
import type { IssuedKey, Principal } from '../core/ports/access.js';
import type { ApproverRecord, ApproverStore } from '../core/ports/index.js';
import { conditionFailed, transact } from './conditional-writes.js';
import { fromItem, keys } from './dynamo.js';
import { apiKeyPut } from './key-items.js';
import { queryAll, withPrefix } from './paginate.js';

export class DynamoApproverStore implements ApproverStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async registerApprover(approver: ApproverRecord, key: IssuedKey): Promise<void> {
    const pk = keys.customer(approver.customer_id);
    const principal: Principal = {
      role: 'approver',
      customer_id: approver.customer_id,
      approver_id: approver.approver_id,
      email: approver.email,
    };
    const cancelled = await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: { pk, sk: keys.approverEmail(approver.email), approver_id: approver.approver_id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { pk, sk: keys.approver(approver.approver_id), entity: 'approver', ...approver, api_keys: [key] },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // Review links name only the approver: this finds their customer.
      {
        Put: {
          TableName: this.table,
          Item: {
            pk: keys.approverById(approver.approver_id),
            sk: keys.approverPointer,
            customer_id: approver.customer_id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      apiKeyPut(this.table, key, principal),
    ]);
    if (cancelled && conditionFailed(cancelled, 0))
      throw new StateConflict(`${approver.email} is already an approver of customer ${approver.customer_id}`);
    if (cancelled) throw cancelled;
  }

  async findApprover(approverId: string): Promise<ApproverRecord | undefined> {
    const pointer = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: keys.approverById(approverId), sk: keys.approverPointer },
      }),
    );
    const customerId = pointer.Item?.customer_id as string | undefined;
    if (!customerId) return undefined;
    const record = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: keys.customer(customerId), sk: keys.approver(approverId) } }),
    );
    return record.Item ? fromItem<ApproverRecord>(record.Item) : undefined;
  }

  async approverIdByEmail(customerId: string, email: string): Promise<string | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: keys.customer(customerId), sk: keys.approverEmail(email) },
        ConsistentRead: true,
      }),
    );
    return result.Item?.approver_id as string | undefined;
  }

  listApprovers(customerId: string): Promise<ApproverRecord[]> {
    const query = withPrefix(this.table, keys.customer(customerId), keys.approverPrefix);
    return queryAll(this.db, { ...query, ConsistentRead: false }); // eventually consistent, as it always was
  }

  async setSubscription(customerId: string, approverId: string, subscription: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: keys.customer(customerId), sk: keys.approver(approverId) },
        UpdateExpression: 'SET subscription = :s',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':s': subscription },
      }),
    );
  }
}
