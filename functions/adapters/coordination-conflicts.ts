// A coordination's listed conflicts, stored in pages of CONFLICTS_PER_PAGE (one item each, far
// below 400 KB), read `limit` at a time:
//   C#<customer> / X#<coordination>#<page, 5 digits>   { conflicts, conflicts_detected, conflicts_listed }
// Page 0 always exists, so an unknown coordination is told apart from one without conflicts.
// Retention: the pages are the immutable report of one coordination, kept the policy's retention_days
// from it (the TTL saveCoordination stamps), as any record that ended then; reads skip expired pages.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInput } from '../core/model/errors.js';
import type { Conflict } from '../core/model/records.js';
import type { ConflictPage } from '../core/ports/index.js';
import { CONFLICTS_PER_PAGE } from '../core/rules/conflict-bounds.js';
import { keys } from './dynamo.js';
import { liveFilter } from './retention.js';

const MAX_POSITION = 1_000_000;

export function conflictPageItems(stored: { coordinationId: string; pages: Conflict[][]; detected: number }) {
  const listed = stored.pages.reduce((n, p) => n + p.length, 0);
  return stored.pages.map((conflicts, page) => ({
    sk: keys.conflictPage(stored.coordinationId, page),
    entity: 'coordination_conflicts',
    coordination_id: stored.coordinationId,
    page,
    conflicts,
    conflicts_detected: stored.detected,
    conflicts_listed: listed,
  }));
}

/** `next` is the position of the next conflict, as base64url JSON; anything else is a 400. */
function position(next: string | undefined): number {
  if (next === undefined) return 0;
  let at: unknown;
  try {
    at = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
  } catch {
    at = undefined;
  }
  // Page numbers have 5 digits: positions stay far below 100,000 pages.
  if (
    typeof at !== 'object' ||
    at === null ||
    !Number.isSafeInteger((at as { at?: unknown }).at) ||
    (at as { at: number }).at < 0 ||
    (at as { at: number }).at > MAX_POSITION
  ) {
    throw new InvalidInput('invalid pagination token', [
      { field: 'next', message: 'is not a token this API returned' },
    ]);
  }
  return (at as { at: number }).at;
}

export async function readConflictPage(
  db: DynamoDBDocumentClient,
  table: string,
  customerId: string,
  coordinationId: string,
  query: { limit: number; next?: string },
  now: Date,
): Promise<ConflictPage | undefined> {
  const from = position(query.next);
  const firstPage = Math.floor(from / CONFLICTS_PER_PAGE);
  const lastPage = Math.floor((from + query.limit - 1) / CONFLICTS_PER_PAGE);
  const live = liveFilter(now);
  const result = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: live.FilterExpression,
      ExpressionAttributeNames: live.names,
      ExpressionAttributeValues: {
        ':pk': keys.customer(customerId),
        ':from': keys.conflictPage(coordinationId, firstPage),
        ':to': keys.conflictPage(coordinationId, lastPage),
        ...live.values,
      },
    }),
  );
  const pages = (result.Items ?? []) as {
    page: number;
    conflicts: Conflict[];
    conflicts_detected: number;
    conflicts_listed: number;
  }[];
  if (pages.length === 0) {
    if (from === 0) return undefined;
    throw new InvalidInput('invalid pagination token', [{ field: 'next', message: 'is past the end of the list' }]);
  }
  const all = pages.flatMap((p) => p.conflicts);
  const conflicts = all.slice(from - firstPage * CONFLICTS_PER_PAGE).slice(0, query.limit);
  const { conflicts_detected, conflicts_listed } = pages[0];
  const end = from + conflicts.length;
  return {
    conflicts,
    conflicts_detected,
    conflicts_listed,
    ...(end < conflicts_listed ? { next: Buffer.from(JSON.stringify({ at: end })).toString('base64url') } : {}),
  };
}
