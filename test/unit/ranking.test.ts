// The ranking: compareRank agrees with the reference's order and answers only -1, 0 or 1.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RISK_LEVELS } from '../../functions/core/model/inputs.js';
import { compareRank, outranks } from '../../functions/core/rules/ranking.js';
import { rec } from './fixtures.js';
import { ranksBefore } from './reference.js';

const rankable = fc
  .record({
    id: fc.constantFrom('a', 'b', 'c', 'ab'),
    priority: fc.integer({ min: 1, max: 3 }),
    estimated_savings: fc.constantFrom(0, 0.1, 0.2, 1234.56, 1234.57),
    confidence: fc.constantFrom(0.5, 0.85),
    risk_level: fc.constantFrom(...RISK_LEVELS),
  })
  .map(({ id, ...fields }) => rec(id, fields));

describe('compareRank', () => {
  it('orders as the reference does, with only -1, 0 or 1', () => {
    fc.assert(
      fc.property(rankable, rankable, (a, b) => {
        const order = compareRank(a, b);
        expect([-1, 0, 1]).toContain(order);
        expect(order).toBe(-compareRank(b, a) || 0);
        if (order !== 0) expect(order < 0).toBe(ranksBefore(a, b));
        else expect(a).toEqual(b);
        expect(outranks(a, b)).toBe(order < 0);
      }),
      { numRuns: 1000 },
    );
  });
});
