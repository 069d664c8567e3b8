// Reading every page: a Query or Scan answers at most 1 MB, so whoever needs all the items follows
// LastEvaluatedKey with lib-dynamodb's paginators. The items come without the table's key attributes.
import {
  type DynamoDBDocumentClient,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { fromItem } from './dynamo.js';

/** Every item the Query matches, page after page. */
export async function queryAll<T>(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateQuery({ client: db }, input))
    for (const item of page.Items ?? []) items.push(fromItem<T>(item));
  return items;
}

/** The sort keys of every item the Query matches (only the key is read), page after page. */
export async function sortKeysAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<string[]> {
  const sortKeys: string[] = [];
  for await (const page of paginateQuery({ client: db }, { ...input, ProjectionExpression: 'sk' }))
    for (const item of page.Items ?? []) sortKeys.push(item.sk as string);
  return sortKeys;
}

/** Every item the Scan matches, page after page: only for what has no key to query by (see its callers). */
export async function scanAll<T>(db: DynamoDBDocumentClient, input: ScanCommandInput): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateScan({ client: db }, input))
    for (const item of page.Items ?? []) items.push(fromItem<T>(item));
  return items;
}

/** A consistent Query of the items of one partition whose sort key starts with `prefix`. */
export function withPrefix(table: string, pk: string, prefix: string): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: true,
  };
}
