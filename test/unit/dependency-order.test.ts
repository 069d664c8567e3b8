// The run order of kept recommendations against the plain re-sorting reference, on random acyclic
// sets whose tie-break leaves ties (so the order among equals is checked too).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dependencyOrder } from '../../functions/core/rules/dependency-graph.js';
import { referenceDependencyOrder } from './reference.js';

/** Items i depend only on items before them (acyclic), some twice, some on unknown ids or themselves. */
const acyclic = fc
  .array(
    fc.record({
      rank: fc.integer({ min: 0, max: 3 }),
      picks: fc.array(fc.nat(), { maxLength: 3 }),
      extra: fc.constantFrom('none', 'outside', 'self'),
    }),
    { maxLength: 40 },
  )
  .map((rows) =>
    rows.map(({ rank, picks, extra }, i) => ({
      id: `n${i}`,
      rank,
      dependencies: [
        ...(i > 0 ? picks.map((p) => `n${p % i}`) : []),
        ...(extra === 'outside' ? ['elsewhere'] : extra === 'self' ? [`n${i}`] : []),
      ],
    })),
  );

describe('dependencyOrder', () => {
  it('is the reference order, ties included', () => {
    fc.assert(
      fc.property(acyclic, fc.boolean(), (items, reversed) => {
        const input = reversed ? [...items].reverse() : items;
        const byRank = (a: { rank: number }, b: { rank: number }) => a.rank - b.rank;
        const ids = (list: { id: string }[]) => list.map((item) => item.id);
        expect(ids(dependencyOrder(input, byRank))).toEqual(ids(referenceDependencyOrder(input, byRank)));
      }),
      { numRuns: 500 },
    );
  });
});
