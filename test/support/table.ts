// A fresh table in the shared DynamoDB Local for one test file, so files never see each other's data.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createTable, localClient } from '../../local/dynamodb.js';

export async function freshTable(): Promise<{ endpoint: string; tableName: string }> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `arbiter-test-${randomUUID()}`;
  const client = localClient(endpoint);
  await createTable(client, tableName);
  client.destroy();
  return { endpoint, tableName };
}
