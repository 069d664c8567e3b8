// The DynamoDB document client and the key layout of the single table.
//   C#<customer> / R#<id>        recommendation   gsi1: C#<customer>#S#<status> / <created_at>#<id>
//   C#<customer> / A#<id>        approval         gsi1: C#<customer>#AS#<status> / <expires_at>#<id>
//   C#<customer> / P#<id>        execution plan
//   C#<customer> / POLICY        approval policy
//   C#<customer> / AG#<agent>    registered agent (endpoint, signing secret)
//   C#<customer> / AP#<id>       approver (email, subscription); APE#<email> keeps emails unique
//   C#<customer> / LOCK#coordinate   coordination lease
//   C#<customer> / LOCK#R#<resource> the execution holding a resource; RUNNING: the executions running
//   K#<sha256 of key> / KEY      an issued API key → its principal
//   APPROVER#<id> / APPROVER     which customer an approver belongs to (review links name only the approver)
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localEndpoint } from './local-endpoint.js';

export function documentClient(options: { endpoint?: string } = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient(localEndpoint(options.endpoint));
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export const keys = {
  customer: (customerId: string) => `C#${customerId}`,
  recommendation: (id: string) => `R#${id}`,
  approval: (id: string) => `A#${id}`,
  plan: (id: string) => `P#${id}`,
  policy: 'POLICY',
  agent: (agentId: string) => `AG#${agentId}`,
  approver: (approverId: string) => `AP#${approverId}`,
  approverEmail: (email: string) => `APE#${email.toLowerCase()}`,
  approverById: (approverId: string) => `APPROVER#${approverId}`,
  coordinationLock: 'LOCK#coordinate',
  resourceLock: (resource: string) => `LOCK#R#${resource}`,
  runningExecutions: 'RUNNING',
  apiKey: (hash: string) => `K#${hash}`,
  recommendationsByStatus: (customerId: string, status: string) => `C#${customerId}#S#${status}`,
  approvalsByStatus: (customerId: string, status: string) => `C#${customerId}#AS#${status}`,
};

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'ttl', 'entity'];

/** The stored item without the table's own attributes. */
export function fromItem<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** One transaction; false when a condition failed or another transaction touched the same items (the caller re-reads). */
export async function transactOrFalse(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<boolean> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}
