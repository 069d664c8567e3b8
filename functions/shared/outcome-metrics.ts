// What the workflow's tasks count for operators (issue 9 §1), from the results their use cases return,
// so the handlers count and the use cases stay as they are. Counted once: only by the call that
// recorded the change (`changed`), never by a retry or after a decision endpoint recorded it first.
import type { ArbiterMetricValue } from '../core/ports/metric-names.js';
import { metrics } from './metrics.js';

const EXECUTION_OUTCOMES: ReadonlySet<string> = new Set<ArbiterMetricValue<'Executions'>>([
  'completed',
  'failed',
  'rolled_back',
  'rollback_failed',
  'cancelled',
]);

/**
 * "Record outcome" and the other "Record ..." states: a plan that ended, by its outcome; an approval that
 * expired unanswered, and its recommendation with it; a recommendation whose time ran out before it ran.
 * (Rejections are counted where they are decided, supersessions where they are coordinated.)
 */
export function countOutcome(asked: { outcome: string }, recorded: { changed: boolean; outcome: string }): void {
  if (!recorded.changed) return;
  if (asked.outcome === 'expired') {
    metrics.count('Approvals', { dimension: 'expired' });
    metrics.count('Recommendations', { dimension: 'expired' });
  } else if (asked.outcome === 'expired_before_run') metrics.count('Recommendations', { dimension: 'expired' });
  else if (EXECUTION_OUTCOMES.has(recorded.outcome))
    metrics.count('Executions', { dimension: recorded.outcome as ArbiterMetricValue<'Executions'> });
}

/** The reconciler: the workflows it started again (none: nothing written). */
export function countRepairs(repaired: readonly unknown[]): void {
  metrics.count('ReconcilerRepairs', { n: repaired.length });
}
