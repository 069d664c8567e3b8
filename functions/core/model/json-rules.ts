// Rules for the free-form objects agents send (parameters, metadata): they are stored in DynamoDB,
// copied into plans and workflow payloads, and read back by other code. Keys that JavaScript
// treats specially are refused (zod would silently drop `__proto__`), nesting is capped below
// DynamoDB's 32 levels with room for the item's own, and keys stay short. Each issue names its path.
export const MAX_OBJECT_DEPTH = 10;
export const MAX_KEY_LENGTH = 256;
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Numbers that survive the round trip: DynamoDB stores magnitudes from 1E-130 up, and the SDK's
 * marshaller refuses anything beyond Number.MAX_SAFE_INTEGER (it could not be read back exactly).
 */
export function isStorableNumber(n: number): boolean {
  return n === 0 || (Number.isFinite(n) && Math.abs(n) >= 1e-130 && Math.abs(n) <= Number.MAX_SAFE_INTEGER);
}
export const STORABLE_NUMBER_MESSAGE = 'must be 0 or between 1e-130 and 9007199254740991 in magnitude';

export interface JsonIssue {
  path: (string | number)[];
  message: string;
}

/** Every rule broken in `value` (an object at depth 1), at most `limit` of them. */
export function jsonObjectIssues(value: unknown, limit = 20): JsonIssue[] {
  const issues: JsonIssue[] = [];
  const visit = (node: unknown, path: (string | number)[], depth: number): void => {
    if (issues.length >= limit) return;
    if (typeof node === 'number' && !isStorableNumber(node)) issues.push({ path, message: STORABLE_NUMBER_MESSAGE });
    if (node === null || typeof node !== 'object') return;
    if (depth > MAX_OBJECT_DEPTH) {
      issues.push({ path, message: `must not nest deeper than ${MAX_OBJECT_DEPTH} levels` });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        visit(item, [...path, i], depth + 1);
      });
      return;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) issues.push({ path: [...path, key], message: `key ${key} is not allowed` });
      else if (key.length > MAX_KEY_LENGTH)
        issues.push({
          path: [...path, `${key.slice(0, 32)}…`],
          message: `keys must be at most ${MAX_KEY_LENGTH} characters`,
        });
      else if (key.length === 0) issues.push({ path: [...path, key], message: 'keys must not be empty' });
      else visit((node as Record<string, unknown>)[key], [...path, key], depth + 1);
    }
  };
  visit(value, [], 1);
  return issues;
}
