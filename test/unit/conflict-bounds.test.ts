// Bounded conflicts (issue 8 §5): a crowd on one resource is counted in full but listed boundedly,
// each loser with the conflict that decided it; per recommendation at most 50, decisive first.
import { describe, expect, it } from 'vitest';
import type { Conflict, Recommendation } from '../../functions/core/model/records.js';
import {
  boundConflicts,
  CONFLICTS_PER_RECOMMENDATION,
  CONFLICTS_PER_RESPONSE,
  withinResponseBudget,
} from '../../functions/core/rules/conflict-bounds.js';
import { FULL_PAIR_LIST } from '../../functions/core/rules/conflicts.js';
import { resolveConflicts, SAMPLED_RIVALS } from '../../functions/core/rules/resolution.js';
import { input, rec } from './fixtures.js';

const crowd = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    rec(`r${String(i).padStart(4, '0')}`, { affected_resources: ['db-1'], priority: i % 7, estimated_savings: i }),
  );

describe('a crowd of 1,000 on one resource', () => {
  const recs = crowd(1000);
  const result = resolveConflicts(input(recs));
  const winner = result.kept[0];

  it('counts every conflict but lists a bounded selection that holds each decisive one', () => {
    expect(result.kept).toHaveLength(1);
    expect(result.total).toBe((1000 * 999) / 2);
    expect(result.total).toBeGreaterThan(FULL_PAIR_LIST);
    expect(result.conflicts.length).toBeLessThanOrEqual(1000 * (SAMPLED_RIVALS + 1));
    const pairs = new Set(result.conflicts.map((c) => c.recommendation_ids.join()));
    for (const r of recs) {
      if (r.id === winner) continue;
      expect(result.outcomes.get(r.id)).toMatchObject({ status: 'discarded', by: winner });
      expect(pairs.has([r.id, winner].sort().join())).toBe(true);
    }
    for (const r of recs) expect(result.conflictCounts.get(r.id)).toBe(999);
  });

  it('lists the same selection whatever the input order', () => {
    const reversed = resolveConflicts(input([...recs].reverse()));
    const key = (r: typeof result) => r.conflicts.map((c) => `${c.recommendation_ids.join()}:${c.type}`);
    expect(key(reversed)).toEqual(key(result));
  });
});

describe('boundConflicts', () => {
  const conflict = (a: string, b: string): Conflict => ({
    id: `${a}-${b}`,
    type: 'resource',
    recommendation_ids: [a, b],
    description: '',
    severity: 'low',
    conflicting_field: 'affected_resources',
    detected_at: '',
    resolved: true,
    resolution: '',
    resolved_at: '',
  });

  it('keeps at most 50 per recommendation, the decisive ones first, with the total and truncated', () => {
    const others = Array.from({ length: 80 }, (_, i) => `o${String(i).padStart(2, '0')}`);
    const conflicts = [...others.map((o) => conflict('a', o)), conflict('a', 'w')];
    const bounded = boundConflicts(
      conflicts,
      new Map([
        ['a', 200],
        ['w', 1],
      ]),
      new Map([['a', 'w']]),
    );
    const a = bounded.of('a');
    expect(a.conflicts).toHaveLength(CONFLICTS_PER_RECOMMENDATION);
    expect(a.conflicts[0].id).toBe('a-w');
    expect(a).toMatchObject({ conflicts_total: 200, conflicts_truncated: true });
    expect(bounded.of('w')).toMatchObject({ conflicts_total: 1, conflicts_truncated: false });
    expect(bounded.response[0].id).toBe('a-w');
    expect(bounded.pages.flat()).toHaveLength(81);
    expect(bounded.pages.map((p) => p.length)).toEqual([81]);
  });

  it('caps the response, and always stores a first page even without conflicts', () => {
    const many = Array.from({ length: 1200 }, (_, i) => conflict(`x${i}`, `y${i}`));
    const bounded = boundConflicts(many, new Map(), new Map());
    expect(bounded.response).toHaveLength(CONFLICTS_PER_RESPONSE);
    expect(bounded.pages.map((p) => p.length)).toEqual([...Array(12).fill(100)]);
    expect(boundConflicts([], new Map(), new Map()).pages).toEqual([[]]);
  });

  it('shares the embedded-conflict budget among the kept recommendations of a response', () => {
    const kept = Array.from(
      { length: 100 },
      (_, i) =>
        ({
          id: `k${i}`,
          conflicts: Array.from({ length: 50 }, (_, j) => conflict(`k${i}`, `l${j}`)),
        }) as unknown as Recommendation,
    );
    const shown = withinResponseBudget(kept);
    expect(shown.every((r) => r.conflicts.length === 10 && r.conflicts_truncated)).toBe(true);
    expect(withinResponseBudget(kept.slice(0, 5))).toEqual(kept.slice(0, 5));
  });
});
