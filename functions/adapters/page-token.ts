// Pagination tokens: DynamoDB's LastEvaluatedKey, base64url JSON. A token is checked before use
// so a forged one is a 400 and can never start a query in another customer's partition.
import { InvalidInput } from '../core/model/errors.js';
import type { Page } from '../core/ports/index.js';
import { fromItem } from './dynamo.js';

export function encodePageToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The token that continues a query after this raw item: the key attributes DynamoDB would return as LastEvaluatedKey. */
export function cursorAfter(item: Record<string, unknown>, index: boolean): string {
  const { pk, sk, gsi1pk, gsi1sk } = item;
  return encodePageToken(index ? { gsi1pk, gsi1sk, pk, sk } : { pk, sk });
}

/** A query's answer as a page of records, with the token after the last and after each item (`index`: a GSI query). */
export function pageOf<T>(
  result: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> },
  index: boolean,
): Page<T> {
  const items = result.Items ?? [];
  return {
    items: items.map((item) => fromItem<T>(item)),
    next: result.LastEvaluatedKey ? encodePageToken(result.LastEvaluatedKey) : undefined,
    cursors: items.map((item) => cursorAfter(item, index)),
  };
}

/** `scope` says where a token may point: the item's own partition (pk) and sort-key prefix. */
export function decodePageToken(
  token: string,
  partitionAttribute: string,
  partition: string,
  scope: { pk: string; skPrefix: string },
): Record<string, string> {
  const invalid = () =>
    new InvalidInput('invalid pagination token', [{ field: 'next', message: 'is not a token this API returned' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  // Exactly the attributes DynamoDB returns for that query, all strings, pointing at an item in
  // scope: anything else would be refused by DynamoDB (a 500) or leave the partition.
  const expected = partitionAttribute === 'pk' ? ['pk', 'sk'] : ['gsi1pk', 'gsi1sk', 'pk', 'sk'];
  const entries = Object.entries(key);
  if (
    entries.length !== expected.length ||
    entries.some(([k, v]) => !expected.includes(k) || typeof v !== 'string' || v.length > 1024)
  )
    throw invalid();
  const record = key as Record<string, string>;
  if (record[partitionAttribute] !== partition || record.pk !== scope.pk || !record.sk.startsWith(scope.skPrefix))
    throw invalid();
  return record;
}
