// POST /coordination/plans/{id}/execute: run an approved plan, once, before it expires.
import { NotFound, StateConflict } from '../model/errors.js';
import type { StoredPlan } from '../model/records.js';
import { hasExpired } from '../rules/expiry.js';
import type { GateDeps } from './plan-tasks.js';

/** POST /coordination/plans/{id}/execute: only an approved recommendation's plan, only once, and only before it expires. */
export async function requestExecution(customerId: string, planId: string, deps: GateDeps): Promise<StoredPlan> {
  const plan = await deps.plans.getPlan(customerId, planId, { results: false });
  if (!plan) throw new NotFound('Plan not found');
  const [rec] = await deps.recommendations.getRecommendations(customerId, [plan.recommendation_id]);
  if (rec?.status !== 'approved')
    throw new StateConflict(
      `recommendation ${plan.recommendation_id} is ${rec?.status ?? 'missing'}, not approved${rec?.status_reason ? `: ${rec.status_reason}` : ''}`,
    );
  if (hasExpired(rec, deps.clock.now()))
    throw new StateConflict(`recommendation ${rec.id} expired at ${rec.expires_at}: it can no longer be executed`);
  if (plan.expired_at) throw new StateConflict(`plan ${planId} was not executed in time and is ending (expired)`);
  if (plan.execution_requested_at || plan.status !== 'pending' || rec.execute_now)
    throw new StateConflict(`plan ${planId} was already started (${plan.status})`);
  if (!(await deps.plans.requestExecution(customerId, planId, rec.id, deps.clock.now().toISOString()))) {
    throw new StateConflict(`plan ${planId} was already started`);
  }
  await signalExecution(customerId, planId, deps);
  return plan;
}

export async function signalExecution(customerId: string, planId: string, deps: GateDeps): Promise<void> {
  const now = deps.clock.now().toISOString();
  const token = await deps.plans.claimExecutionSignal(customerId, planId, now);
  if (token) await deps.workflow.completeTask(token, { requested_at: now });
}
