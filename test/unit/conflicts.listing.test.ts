// The conflicts a resolution lists, checked against the naive reference on batches big enough to
// leave the full list (more than FULL_PAIR_LIST pair conflicts) and on ordinary ones: canonical
// order, each conflict once, every one listed up to the bound and beyond it a selection by rank
// that holds each decisive conflict and each recommendation's best-ranked rivals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RISK_LEVELS } from '../../functions/core/model/inputs.js';
import { type Candidate, type DetectionInput, FULL_PAIR_LIST } from '../../functions/core/rules/conflicts.js';
import { compareRank } from '../../functions/core/rules/ranking.js';
import { type ResolvedConflict, resolveConflicts, SAMPLED_RIVALS } from '../../functions/core/rules/resolution.js';
import { batch } from './arbitraries.js';
import { dependencyOrdered, pairConflicts, referenceResolve } from './reference.js';

const TYPE_ORDER = ['resource', 'action', 'dependency', 'timing'];

/** Canonical order restated: ids element by element (a prefix first), then type, then description. */
function canonicalCompare(a: ResolvedConflict, b: ResolvedConflict): number {
  const [x, y] = [a.recommendation_ids, b.recommendation_ids];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  if (x.length !== y.length) return x.length - y.length;
  if (a.type !== b.type) return TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type);
  return a.description < b.description ? -1 : a.description > b.description ? 1 : 0;
}

/**
 * An ordinary batch and 180 or more that each touch one or two of a few resources: well over
 * FULL_PAIR_LIST pair conflicts, and rivals that lose to others, so that what beat a recommendation
 * is often not among its best-ranked rivals.
 */
const crowded: fc.Arbitrary<DetectionInput> = fc
  .record({
    base: batch,
    crowd: fc.array(
      fc.record({
        action: fc.constantFrom('scale_up', 'scale_down', 'terminate', 'rightsize'),
        resources: fc.uniqueArray(fc.constantFrom('h1', 'h2', 'h3', 'h4', 'h5', 'db-1'), {
          minLength: 1,
          maxLength: 2,
        }),
        priority: fc.integer({ min: 1, max: 6 }),
        estimated_savings: fc.constantFrom(0, 150, 1000),
        risk_level: fc.constantFrom(...RISK_LEVELS),
        dependsOnPrevious: fc.nat(30).map((k) => k === 0),
      }),
      { minLength: 180, maxLength: 200 },
    ),
  })
  .map(({ base, crowd }) => {
    const members: Candidate[] = crowd.map((c, i) => ({
      id: `c${String(i).padStart(3, '0')}`,
      action: c.action,
      affected_resources: c.resources,
      dependencies: c.dependsOnPrevious && i > 0 ? [`c${String(i - 1).padStart(3, '0')}`] : [],
      priority: c.priority,
      estimated_savings: c.estimated_savings,
      confidence: 0.5,
      risk_level: c.risk_level,
    }));
    return { ...base, fresh: [...base.fresh, ...members] };
  });

/** Checks one batch; says whether its listing was bounded. Failures are collected, then asserted at once. */
function check(input: DetectionInput): boolean {
  const result = resolveConflicts(input);
  const reference = referenceResolve(input);
  const key = (c: ResolvedConflict) => `${c.type}:${c.recommendation_ids.join(',')}`;
  const listed = result.conflicts.map(key);

  const misordered = result.conflicts.filter((c, k) => k > 0 && canonicalCompare(result.conflicts[k - 1], c) >= 0);
  expect(misordered).toEqual([]);
  expect(new Set(result.conflicts.map((c) => `${key(c)}:${c.description}`)).size).toBe(listed.length);
  const real = new Set(reference.conflicts);
  expect(listed.filter((c) => !real.has(c))).toEqual([]);
  expect(result.total).toBe(reference.conflicts.length);
  const counts = new Map<string, number>();
  for (const c of reference.conflicts)
    for (const id of c.split(':')[1].split(',')) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect(new Map([...result.conflictCounts].filter(([, count]) => count > 0))).toEqual(counts);

  const pairs = reference.conflicts.filter((c) => c.startsWith('resource:') || c.startsWith('action:'));
  if (pairs.length <= FULL_PAIR_LIST) {
    expect([...listed].sort()).toEqual(reference.conflicts);
    return false;
  }
  // Bounded: whatever decided an outcome, and each one's best-ranked rivals, are listed.
  const all = [...input.fresh, ...input.active];
  const fresh = new Set(input.fresh.map((c) => c.id));
  const ordered = dependencyOrdered(all);
  const rivals = new Map(all.map((c) => [c.id, [] as Candidate[]]));
  for (const [i, a] of all.entries()) {
    for (const b of all.slice(i + 1)) {
      if ((fresh.has(a.id) || fresh.has(b.id)) && pairConflicts(a, b).length > 0 && !ordered(a, b)) {
        rivals.get(a.id)!.push(b);
        rivals.get(b.id)!.push(a);
      }
    }
  }
  const holds = (c: Candidate) =>
    'status' in c && (c.status === 'executing' || (c as { approved_by_people?: boolean }).approved_by_people === true);
  const rank = (a: Candidate, b: Candidate) => Number(holds(b)) - Number(holds(a)) || compareRank(a, b);
  const shown = new Set(listed);
  const missing: string[] = [];
  const expectListed = (a: string, b: Candidate, why: string) => {
    const other = all.find((c) => c.id === a)!;
    for (const type of pairConflicts(other, b)) {
      const k = `${type}:${[a, b.id].sort().join(',')}`;
      if (!shown.has(k)) missing.push(`${k} (${why})`);
    }
  };
  for (const c of all) {
    const near = rivals.get(c.id)!;
    const by = result.outcomes.get(c.id)?.by;
    if (by) expectListed(c.id, near.find((r) => r.id === by)!, 'decisive');
    for (const rival of [...near].sort(rank).slice(0, SAMPLED_RIVALS)) expectListed(c.id, rival, 'best rival');
  }
  expect(missing).toEqual([]);
  expect(result.conflicts.length).toBeLessThanOrEqual(input.fresh.length * 2 * (SAMPLED_RIVALS + 1) + 50);
  return true;
}

describe('listed conflicts', () => {
  it('are in canonical order, each once, and every one of an ordinary batch', () => {
    fc.assert(
      fc.property(batch, (input) => {
        check(input);
      }),
      { numRuns: 300 },
    );
  });

  it('beyond FULL_PAIR_LIST, hold each decisive conflict and each recommendation’s best-ranked rivals', () => {
    fc.assert(
      fc.property(crowded, (input) => {
        expect(check(input)).toBe(true);
      }),
      { numRuns: 8, endOnFailure: true }, // shrinking 200-recommendation batches would take minutes
    );
  }, 120_000);
});
