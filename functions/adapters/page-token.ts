// Pagination tokens: DynamoDB's LastEvaluatedKey, base64url JSON. A token is checked before use
// so a forged one is a 400 and can never start a query in another customer's partition.
import { InvalidInput } from '../core/errors.js';

export function encodePageToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, partitionAttribute: string, partition: string): Record<string, string> {
  const invalid = () => new InvalidInput('invalid pagination token', [{ field: 'next', message: 'is not a token this API returned' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  const allowed = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
  if (entries.length === 0 || entries.some(([k, v]) => !allowed.has(k) || typeof v !== 'string')) throw invalid();
  const record = key as Record<string, string>;
  if (record[partitionAttribute] !== partition || record.pk !== partition.split('#S#')[0]) throw invalid();
  return record;
}
