// Properties of resolution over generated batches: the kept set is conflict-free and maximal,
// every loser names a kept winner, the outcome does not depend on input order, and it agrees with
// the naive reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candidate, DetectionInput } from '../../functions/core/rules/conflicts.js';
import { compareRank } from '../../functions/core/rules/ranking.js';
import { type Resolution, resolveConflicts } from '../../functions/core/rules/resolution.js';
import { batch, reordered } from './arbitraries.js';
import { dependencyOrdered, pairConflicts, referenceResolve } from './reference.js';

const RUNS = { numRuns: 400 };

function view(input: DetectionInput) {
  const all: (Candidate & { status?: string })[] = [...input.fresh, ...input.active];
  const byId = new Map(all.map((c) => [c.id, c]));
  const fresh = new Set(input.fresh.map((c) => c.id));
  const result = resolveConflicts(input);
  const kept = all.filter((c) => result.outcomes.get(c.id)?.status === 'kept');
  const ordered = dependencyOrdered(all);
  /** Pairs that count: at least one side is new (active pairs were settled when they arrived), and neither depends on the other. */
  const clash = (a: Candidate, b: Candidate) =>
    (fresh.has(a.id) || fresh.has(b.id)) && !ordered(a, b) && pairConflicts(a, b).length > 0;
  return { all, byId, fresh, result, kept, clash, ordered };
}

const canonical = (r: Resolution) => ({
  outcomes: [...r.outcomes].sort(([a], [b]) => (a < b ? -1 : 1)),
  conflicts: r.conflicts,
  kept: r.kept,
});

describe('resolution properties', () => {
  it('(a) no two kept recommendations conflict', () => {
    fc.assert(
      fc.property(batch, (input) => {
        const { kept, clash } = view(input);
        for (const a of kept) for (const b of kept) expect(a === b || !clash(a, b)).toBe(true);
      }),
      RUNS,
    );
  });

  it('(f) a recommendation and its dependency, direct or transitive, in the batch or active, are never in conflict', () => {
    fc.assert(
      fc.property(batch, (input) => {
        const { byId, result, ordered } = view(input);
        for (const c of result.conflicts) {
          if (c.type !== 'resource' && c.type !== 'action') continue;
          const [a, b] = c.recommendation_ids.map((id) => byId.get(id)!);
          expect(ordered(a, b)).toBe(false);
        }
        for (const [id, outcome] of result.outcomes) {
          if (outcome.by) expect(ordered(byId.get(id)!, byId.get(outcome.by)!)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('(b) every discarded or superseded one names a kept winner that conflicts with it and outranks it (or is executing, or approved by people)', () => {
    fc.assert(
      fc.property(batch, (input) => {
        const { all, byId, result, clash } = view(input);
        for (const loser of all) {
          const outcome = result.outcomes.get(loser.id)!;
          if (outcome.status !== 'discarded' && outcome.status !== 'superseded') continue;
          const winner = byId.get(outcome.by!)!;
          expect(result.outcomes.get(winner.id)?.status).toBe('kept');
          expect(clash(winner, loser)).toBe(true);
          expect(
            winner.status === 'executing' ||
              (winner as { approved_by_people?: boolean }).approved_by_people === true ||
              compareRank(winner, loser) < 0,
          ).toBe(true);
          expect(outcome.status).toBe(loser.status === undefined ? 'discarded' : 'superseded');
        }
      }),
      RUNS,
    );
  });

  it('(c) the outcome is the same for every order of the input', () => {
    fc.assert(
      fc.property(
        batch.chain((input) => fc.tuple(fc.constant(input), reordered(input))),
        ([input, shuffled]) => {
          expect(canonical(resolveConflicts(shuffled))).toEqual(canonical(resolveConflicts(input)));
        },
      ),
      RUNS,
    );
  });

  it('(d) every recommendation not kept conflicts with a kept one, or has a dependency or timing reason', () => {
    fc.assert(
      fc.property(batch, (input) => {
        const { all, byId, result, kept, clash } = view(input);
        const keptIds = new Set(kept.map((k) => k.id));
        for (const c of all) {
          const { status } = result.outcomes.get(c.id)!;
          if (status === 'kept') {
            // A kept one never waits on something that will not run.
            for (const d of c.dependencies) expect(!byId.has(d) || keptIds.has(d)).toBe(true);
          } else if (status === 'discarded' || status === 'superseded') {
            expect(kept.some((k) => clash(k, c))).toBe(true);
          } else if (status === 'expired') {
            expect(Date.parse(c.expires_at!)).toBeLessThanOrEqual(input.now.getTime());
          } else {
            expect(['rejected', 'cancelled']).toContain(status);
            expect(c.dependencies.length).toBeGreaterThan(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('(e) agrees with the naive pairwise reference', () => {
    fc.assert(
      fc.property(batch, (input) => {
        const actual = resolveConflicts(input);
        const expected = referenceResolve(input);
        const outcomes = new Map(
          [...actual.outcomes].map(([id, o]) => [id, o.by ? { status: o.status, by: o.by } : { status: o.status }]),
        );
        expect(outcomes).toEqual(expected.outcomes);
        expect(actual.conflicts.map((c) => `${c.type}:${c.recommendation_ids.join(',')}`).sort()).toEqual(
          expected.conflicts,
        );
      }),
      RUNS,
    );
  });

  it('the kept list holds exactly the kept new recommendations, best ranked first', () => {
    fc.assert(
      fc.property(batch, (input) => {
        const { result, kept, fresh } = view(input);
        const expected = kept.filter((k) => fresh.has(k.id)).sort(compareRank);
        expect(result.kept).toEqual(expected.map((k) => k.id));
      }),
      RUNS,
    );
  });
});
