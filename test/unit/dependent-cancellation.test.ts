// Which recommendations a dependency that ended early takes down with it (issue 13 §6): its
// not-yet-started dependents, transitively, each with the true reason; nothing already running.
import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../functions/core/model/records.js';
import type { RecommendationStatus } from '../../functions/core/model/statuses.js';
import { dependentsOf } from '../../functions/core/use-cases/cancel-dependents.js';

const stored = (id: string, status: RecommendationStatus, dependencies: string[] = []) =>
  ({ id, status, dependencies }) as unknown as Recommendation;

describe('dependentsOf', () => {
  it('cancels direct and transitive dependents that have not started, naming the cause', () => {
    const active = [
      stored('A', 'pending_approval'),
      stored('D', 'pending_approval', ['A']),
      stored('E', 'approved', ['D']),
      stored('F', 'waiting_dependencies', ['E', 'X']),
    ];
    const victims = dependentsOf(active, [{ id: 'A', how: 'was rejected by bob' }]);
    expect(victims.map((v) => [v.rec.id, v.reason])).toEqual([
      ['D', 'dependency A was rejected by bob'],
      ['E', 'dependency D was cancelled because A was rejected by bob'],
      ['F', 'dependency E was cancelled because A was rejected by bob'],
    ]);
  });

  it('leaves running ones, unrelated ones and the ended one itself alone', () => {
    const active = [
      stored('A', 'approved'),
      stored('R', 'executing', ['A']),
      stored('W', 'waiting_resources', ['A']),
      stored('U', 'pending_approval', ['Z']),
    ];
    expect(dependentsOf(active, [{ id: 'A', how: 'expired at 2026-01-01T00:00:00Z' }])).toEqual([]);
    expect(dependentsOf(active, [])).toEqual([]);
  });
});
