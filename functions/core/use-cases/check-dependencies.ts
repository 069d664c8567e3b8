// The "Check dependencies" task: ready, waiting, blocked or expired.
import { StaleState } from '../model/errors.js';
import { endedWithoutCompleting, type RecommendationStatus } from '../model/statuses.js';
import type { Metrics } from '../ports/metrics.js';
import { hasExpired } from '../rules/expiry.js';
import type { GateDeps } from './plan-tasks.js';
import { recommendationOf } from './recommendation-of.js';

export type DependencyState =
  | { state: 'ready' }
  | { state: 'waiting'; waiting_for: string[] }
  | { state: 'blocked'; blocked_by: string; blocked_status: RecommendationStatus | 'unknown' }
  | { state: 'expired' };

/** How long a plan waits for its dependencies before it gives up (and is cancelled). */
export const MAX_DEPENDENCY_WAIT_MS = 7 * 24 * 3600 * 1000;

/** "Wait for dependencies": ready when all completed; blocked as soon as one ends otherwise, or after waiting 7 days. */
export async function checkDependencies(
  input: { customer_id: string; recommendation_id: string },
  deps: GateDeps & { metrics?: Metrics },
): Promise<DependencyState> {
  const rec = await recommendationOf(input.customer_id, input.recommendation_id, deps);
  // The last moment before anything runs: a recommendation past its expires_at does not start.
  if (hasExpired(rec, deps.clock.now())) return { state: 'expired' };
  const found = new Map(
    (await deps.recommendations.getRecommendations(input.customer_id, rec.dependencies)).map((d) => [d.id, d.status]),
  );
  for (const id of rec.dependencies) {
    const status = found.get(id);
    if (status === undefined || endedWithoutCompleting(status)) {
      const at = deps.clock.now().toISOString();
      await deps.plans.appendHistory(input.customer_id, rec.id, {
        status: rec.status,
        reason: `dependency ${id} is ${status ?? 'unknown'}: cancelling`,
        at,
      });
      return { state: 'blocked', blocked_by: id, blocked_status: status ?? 'unknown' };
    }
  }
  const waiting = rec.dependencies.filter((id) => found.get(id) !== 'completed');
  const since = rec.history.find((h) => h.status === 'waiting_dependencies')?.at;
  if (waiting.length > 0 && since && deps.clock.now().getTime() - Date.parse(since) > MAX_DEPENDENCY_WAIT_MS) {
    const at = deps.clock.now().toISOString();
    await deps.plans.appendHistory(input.customer_id, rec.id, {
      status: rec.status,
      reason: `${waiting.join(', ')} did not complete within 7 days: cancelling`,
      at,
    });
    return { state: 'blocked', blocked_by: waiting[0], blocked_status: found.get(waiting[0]) ?? 'unknown' };
  }
  if (waiting.length > 0 && rec.status === 'approved') {
    const at = deps.clock.now().toISOString();
    const changed = await deps.recommendations.changeStatus(input.customer_id, {
      id: rec.id,
      from: 'approved',
      to: 'waiting_dependencies',
      entry: { status: 'waiting_dependencies', reason: `waiting for ${waiting.join(', ')}`, at },
    });
    // It moved meanwhile (superseded, cancelled): the task fails rather than wait on its behalf.
    if (!changed) throw new StaleState(`recommendation ${rec.id} is no longer approved`);
  }
  if (waiting.length > 0) return { state: 'waiting', waiting_for: waiting };
  if (rec.dependencies.length > 0)
    deps.metrics?.duration('WaitTime', since ? deps.clock.now().getTime() - Date.parse(since) : 0, 'dependencies');
  return { state: 'ready' };
}
