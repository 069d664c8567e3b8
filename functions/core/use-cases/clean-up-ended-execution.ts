// An execution that ended without reaching its own cleanup (an operator stopped it, it timed out,
// or a task failed where nothing catches): release whatever locks it holds and record the plan as
// failed. Every step is idempotent, so executions that did clean up are left as they are.
import { NotFound } from '../model/errors.js';
import { inGroup, PLAN_UNDER_WAY } from '../model/statuses.js';
import type { PolicyStore } from '../ports/index.js';
import type { ResourceLocks } from '../ports/resource-locks.js';
import type { GateDeps } from './plan-tasks.js';
import { cancelUnstartedPlan, type OutcomeDeps, recordOutcome } from './record-outcome.js';
import { resourceLocks } from './resource-locks.js';
import { signalDependents } from './signal-dependents.js';

export interface EndedExecution {
  customer_id: string;
  recommendation_id: string;
  execution_name: string;
}

export async function cleanUpEndedExecution(
  ended: EndedExecution,
  deps: GateDeps & OutcomeDeps & { locks: ResourceLocks; policies: PolicyStore },
): Promise<{ released: boolean; recorded: boolean }> {
  try {
    await resourceLocks({ ...ended, action: 'release' }, deps);
  } catch (error) {
    if (error instanceof NotFound) return { released: false, recorded: false };
    throw error;
  }
  const [rec] = await deps.recommendations.getRecommendations(ended.customer_id, [ended.recommendation_id]);
  // Only a plan that was under way has an outcome to record; approval-phase outcomes are the approval's.
  if (!rec?.plan_id || !inGroup(PLAN_UNDER_WAY, rec.status)) {
    // Ended before its plan started (superseded, stopped): no plan says pending; its dependents learn it now.
    await cancelUnstartedPlan(ended.customer_id, ended.recommendation_id, deps);
    if (deps.waiters)
      await signalDependents(ended.customer_id, ended.recommendation_id, {
        waiters: deps.waiters,
        workflow: deps.workflow,
      });
    return { released: true, recorded: false };
  }
  const { changed } = await recordOutcome(
    {
      customer_id: ended.customer_id,
      recommendation_id: ended.recommendation_id,
      approval_id: null,
      outcome: 'failed',
    },
    deps,
  );
  return { released: true, recorded: changed };
}
