// Conditional writes, the way every store uses them: a write whose condition does not hold is an
// answer (false, undefined, the cancellation), not an error; any other failure is thrown as it is.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './dynamo.js';

/** The write's answer, or undefined when its condition did not hold. */
async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** False when the condition did not hold. */
export async function putIf(db: DynamoDBDocumentClient, input: PutCommandInput): Promise<boolean> {
  return (await unlessConditionFails(db.send(new PutCommand(input)))) !== undefined;
}

/** False when the condition did not hold. */
export async function updateIf(db: DynamoDBDocumentClient, input: UpdateCommandInput): Promise<boolean> {
  return (await unlessConditionFails(db.send(new UpdateCommand(input)))) !== undefined;
}

/** False when the condition did not hold. */
export async function deleteIf(db: DynamoDBDocumentClient, input: DeleteCommandInput): Promise<boolean> {
  return (await unlessConditionFails(db.send(new DeleteCommand(input)))) !== undefined;
}

/** The item after the update (raw, with its key attributes); undefined when the condition did not hold. */
export async function updateIfReturning(
  db: DynamoDBDocumentClient,
  input: Omit<UpdateCommandInput, 'ReturnValues'>,
): Promise<Record<string, unknown> | undefined> {
  const result = await unlessConditionFails(db.send(new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW' })));
  return result?.Attributes;
}

/**
 * One transaction: undefined when it was written; when DynamoDB cancelled it (a condition failed,
 * or another transaction touched the same items), the cancellation, whose reasons say which item.
 */
export async function transact(
  db: DynamoDBDocumentClient,
  items: TransactItem[],
): Promise<TransactionCanceledException | undefined> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return error;
    throw error;
  }
}

/** One transaction; false when it was cancelled (the caller re-reads). */
export async function transactIf(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<boolean> {
  return (await transact(db, items)) === undefined;
}

/** Whether the transaction was cancelled because the condition of its `index`-th item failed. */
export function conditionFailed(cancelled: TransactionCanceledException, index: number): boolean {
  return cancelled.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';
}
