// Every raw item of one customer's partition, by sort key: for tests that look at what the table
// holds beneath the stores (TTLs, internal marks).
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/adapters/dynamo.js';

export async function partitionItems(
  db: DynamoDBDocumentClient,
  table: string,
  customerId: string,
): Promise<Record<string, Record<string, unknown>>> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.customer(customerId) },
      ConsistentRead: true,
    }),
  );
  return Object.fromEntries(Items.map((item) => [item.sk as string, item]));
}
