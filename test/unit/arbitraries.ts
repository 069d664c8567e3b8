// fast-check generators for realistic batches: unique ids, a small shared resource pool so that
// overlaps happen, contradictory actions, some recommendations naming no resources, tied ranks,
// dependencies (in the batch, on active or settled ones, on unknown ids), a few expired ones,
// and the customer's active recommendations.
import fc from 'fast-check';
import { RISK_LEVELS } from '../../functions/core/model/inputs.js';
import { ACTIVE_STATUSES, type RecommendationStatus } from '../../functions/core/model/statuses.js';
import type { ActiveCandidate, Candidate, DetectionInput } from '../../functions/core/rules/conflicts.js';
import { NOW } from './fixtures.js';
import { CONTRADICTORY } from './reference.js';

const ACTIONS = [...new Set(CONTRADICTORY.flat()), 'optimize_kv_cache', 'rightsize'];
const POOL = ['db-1', 'db-2', 'cluster-a', 'cluster-b', 'i-1', 'i-2'];
const SETTLED: [string, RecommendationStatus][] = [
  ['done-1', 'completed'],
  ['lost-1', 'discarded'],
];

const body = fc.record({
  action: fc.constantFrom(...ACTIONS),
  affected_resources: fc.oneof(
    { weight: 1, arbitrary: fc.constant<string[]>([]) },
    { weight: 4, arbitrary: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 }) },
  ),
  priority: fc.integer({ min: 1, max: 4 }),
  estimated_savings: fc.constantFrom(0, 150, 1000, 2000.5),
  confidence: fc.constantFrom(0.5, 0.85, 0.9),
  risk_level: fc.constantFrom(...RISK_LEVELS),
  expired: fc.nat(15).map((k) => k === 0),
  /** Indexes into the ids a recommendation may depend on; most depend on nothing. */
  picks: fc.oneof(
    { weight: 4, arbitrary: fc.constant<number[]>([]) },
    { weight: 1, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }) },
  ),
});

export const batch: fc.Arbitrary<DetectionInput> = fc
  .record({
    ids: fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { maxLength: 14 }),
    freshCount: fc.nat(14),
    bodies: fc.array(body, { minLength: 14, maxLength: 14 }),
    statuses: fc.array(fc.constantFrom(...ACTIVE_STATUSES), { minLength: 14, maxLength: 14 }),
    byPeople: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  })
  .map(({ ids, freshCount, bodies, statuses, byPeople }) => {
    const names = ids.map((k) => `r${k}`);
    const split = Math.min(freshCount, names.length);
    const targets = [...names, ...SETTLED.map(([id]) => id), 'ghost'];
    const candidate = (id: string, i: number): Candidate => {
      const { expired, picks, ...rest } = bodies[i];
      return {
        id,
        ...rest,
        dependencies: [...new Set(picks.map((p) => targets[p % targets.length]))],
        ...(expired ? { expires_at: new Date(NOW.getTime() - 1000).toISOString() } : {}),
      };
    };
    const fresh = names.slice(0, split).map(candidate);
    // Approved, waiting or executing ones may have been approved by people, who then hold their place.
    const active: ActiveCandidate[] = names.slice(split).map((id, i) => ({
      ...candidate(id, split + i),
      dependencies: [],
      status: statuses[i],
      ...(byPeople[i] && statuses[i] !== 'pending_approval' ? { approved_by_people: true } : {}),
    }));
    const known = new Map<string, RecommendationStatus>([
      ...SETTLED,
      ...active.map((a): [string, RecommendationStatus] => [a.id, a.status]),
    ]);
    return { fresh, active, known, freezeWindows: [], now: NOW };
  });

/** The same batch with fresh and active recommendations each in another order. */
export function reordered(input: DetectionInput): fc.Arbitrary<DetectionInput> {
  const all = (n: number) => ({ minLength: n, maxLength: n });
  return fc
    .tuple(
      fc.shuffledSubarray([...input.fresh], all(input.fresh.length)),
      fc.shuffledSubarray([...input.active], all(input.active.length)),
    )
    .map(([fresh, active]) => ({ ...input, fresh, active }));
}
