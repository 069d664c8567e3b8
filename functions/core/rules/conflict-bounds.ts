// Bounded conflicts: a crowd of n recommendations on one resource has n(n-1)/2 conflicts, more
// than a response (6 MB on Lambda) or an item (400 KB in DynamoDB) can hold. Each recommendation
// keeps at most CONFLICTS_PER_RECOMMENDATION, the decisive ones (with the recommendation that beat
// it, or that it beat) first; the response lists at most CONFLICTS_PER_RESPONSE; every conflict
// resolution listed is stored in pages, read at GET /coordination/coordinations/{id}/conflicts.
import type { Conflict, Recommendation } from '../model/records.js';

export const CONFLICTS_PER_RECOMMENDATION = 50;
export const CONFLICTS_PER_RESPONSE = 500;
/** All kept recommendations of one response together carry at most this many conflicts. */
export const EMBEDDED_PER_RESPONSE = 1_000;
export const CONFLICTS_PER_PAGE = 100;

export interface ConflictSummary {
  conflicts: Conflict[];
  /** How many conflicts it is part of, listed or not. */
  conflicts_total: number;
  conflicts_truncated: boolean;
}

export interface BoundedConflicts {
  of(id: string): ConflictSummary;
  /** What the coordinate response lists, decisive ones first. */
  response: Conflict[];
  /** Everything listed, in pages of CONFLICTS_PER_PAGE, for storage. */
  pages: Conflict[][];
}

/** `resolvedBy`: for each recommendation that lost, the one that beat it. */
export function boundConflicts(
  conflicts: Conflict[],
  totals: ReadonlyMap<string, number>,
  resolvedBy: ReadonlyMap<string, string>,
): BoundedConflicts {
  const decisive = (c: Conflict) => {
    const [a, b] = c.recommendation_ids;
    return c.recommendation_ids.length === 2 && (resolvedBy.get(a) === b || resolvedBy.get(b) === a);
  };
  const first = new Map<string, Conflict[]>();
  const rest = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const lists = decisive(c) ? first : rest;
    for (const id of c.recommendation_ids) {
      const list = lists.get(id) ?? [];
      if (list.length < CONFLICTS_PER_RECOMMENDATION) list.push(c);
      lists.set(id, list);
    }
  }
  const ordered = [...conflicts.filter(decisive), ...conflicts.filter((c) => !decisive(c))];
  const pages: Conflict[][] = [];
  for (let i = 0; i < conflicts.length || i === 0; i += CONFLICTS_PER_PAGE)
    pages.push(conflicts.slice(i, i + CONFLICTS_PER_PAGE));
  return {
    of(id) {
      const kept = [...(first.get(id) ?? []), ...(rest.get(id) ?? [])].slice(0, CONFLICTS_PER_RECOMMENDATION);
      const total = Math.max(totals.get(id) ?? 0, kept.length);
      return { conflicts: kept, conflicts_total: total, conflicts_truncated: total > kept.length };
    },
    response: ordered.slice(0, CONFLICTS_PER_RESPONSE),
    pages,
  };
}

/** The kept recommendations as a response shows them: their conflicts cut to share EMBEDDED_PER_RESPONSE. */
export function withinResponseBudget(recs: Recommendation[]): Recommendation[] {
  const each = Math.max(
    1,
    Math.min(CONFLICTS_PER_RECOMMENDATION, Math.floor(EMBEDDED_PER_RESPONSE / Math.max(1, recs.length))),
  );
  return recs.map((r) =>
    r.conflicts.length <= each ? r : { ...r, conflicts: r.conflicts.slice(0, each), conflicts_truncated: true },
  );
}
