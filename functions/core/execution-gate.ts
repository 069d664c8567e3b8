// Before a plan runs: the request to run it, its dependencies, and its resource locks.
import { StateConflict, NotFound } from './errors.js';
import type { Recommendation } from './model.js';
import { policyFrom } from './policy.js';
import type { Clock, PlanStore, PolicyStore, RecommendationStore, ResourceLocks, StoredPlan } from './ports.js';
import type { RecommendationStatus } from './schemas.js';
import { lockHolder, type Workflow } from './workflow.js';
import { hasExpired } from './expiry.js';
import { wakeWaiters, type LockWaiters } from './lock-waiters.js';

export interface GateDeps {
  recommendations: RecommendationStore;
  plans: PlanStore;
  workflow: Workflow;
  clock: Clock;
}

/** `results: false` when only the steps' statuses matter: a plan's results can be megabytes. */
export async function loadPlanOf(customerId: string, recommendationId: string, deps: Pick<GateDeps, 'recommendations' | 'plans'>, results = true): Promise<{ rec: Recommendation; plan: StoredPlan }> {
  const [rec] = await deps.recommendations.getRecommendations(customerId, [recommendationId]);
  if (!rec) throw new NotFound(`recommendation ${recommendationId} not found`);
  const plan = rec.plan_id ? await deps.plans.getPlan(customerId, rec.plan_id, { results }) : undefined;
  if (!plan) throw new NotFound(`recommendation ${recommendationId} has no plan`);
  return { rec, plan };
}

/** POST /coordination/plans/{id}/execute: only an approved recommendation's plan, only once, and only before it expires. */
export async function requestExecution(customerId: string, planId: string, deps: GateDeps): Promise<StoredPlan> {
  const plan = await deps.plans.getPlan(customerId, planId, { results: false });
  if (!plan) throw new NotFound('Plan not found');
  const [rec] = await deps.recommendations.getRecommendations(customerId, [plan.recommendation_id]);
  if (rec?.status !== 'approved') throw new StateConflict(`recommendation ${plan.recommendation_id} is ${rec?.status ?? 'missing'}, not approved${rec?.status_reason ? `: ${rec.status_reason}` : ''}`);
  if (hasExpired(rec, deps.clock.now())) throw new StateConflict(`recommendation ${rec.id} expired at ${rec.expires_at}: it can no longer be executed`);
  if (plan.expired_at) throw new StateConflict(`plan ${planId} was not executed in time and is ending (expired)`);
  if (plan.execution_requested_at || plan.status !== 'pending' || rec.execute_now) throw new StateConflict(`plan ${planId} was already started (${plan.status})`);
  if (!(await deps.plans.requestExecution(customerId, planId, rec.id, deps.clock.now().toISOString()))) {
    throw new StateConflict(`plan ${planId} was already started`);
  }
  await signalExecution(customerId, planId, deps);
  return plan;
}

/** The "Wait for execution request" task: keep the token; if the request came first, answer it now. */
export async function awaitExecution(input: { customer_id: string; recommendation_id: string; task_token: string }, deps: GateDeps): Promise<void> {
  const { plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps, false);
  await deps.plans.storeExecutionToken(input.customer_id, plan.id, input.task_token);
  await signalExecution(input.customer_id, plan.id, deps);
}

async function signalExecution(customerId: string, planId: string, deps: GateDeps): Promise<void> {
  const now = deps.clock.now().toISOString();
  const token = await deps.plans.claimExecutionSignal(customerId, planId, now);
  if (token) await deps.workflow.completeTask(token, { requested_at: now });
}

/** A dependency in one of these will never complete: its dependents are cancelled. */
export const BLOCKING: ReadonlySet<RecommendationStatus> = new Set(['rejected', 'expired', 'discarded', 'superseded', 'failed', 'rolled_back', 'rollback_failed', 'cancelled']);

export type DependencyState =
  | { state: 'ready' }
  | { state: 'waiting'; waiting_for: string[] }
  | { state: 'blocked'; blocked_by: string; blocked_status: RecommendationStatus | 'unknown' }
  | { state: 'expired' };

/** How long a plan waits for its dependencies before it gives up (and is cancelled). */
export const MAX_DEPENDENCY_WAIT_MS = 7 * 24 * 3600 * 1000;

/** "Wait for dependencies": ready when all completed; blocked as soon as one ends otherwise, or after waiting 7 days. */
export async function checkDependencies(input: { customer_id: string; recommendation_id: string }, deps: GateDeps): Promise<DependencyState> {
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (!rec) throw new NotFound(`recommendation ${input.recommendation_id} not found`);
  // The last moment before anything runs: a recommendation past its expires_at does not start.
  if (hasExpired(rec, deps.clock.now())) return { state: 'expired' };
  const found = new Map((await deps.recommendations.getRecommendations(input.customer_id, rec.dependencies)).map((d) => [d.id, d.status]));
  for (const id of rec.dependencies) {
    const status = found.get(id);
    if (status === undefined || BLOCKING.has(status)) {
      const at = deps.clock.now().toISOString();
      await deps.plans.appendHistory(input.customer_id, rec.id, { status: rec.status, reason: `dependency ${id} is ${status ?? 'unknown'}: cancelling`, at });
      return { state: 'blocked', blocked_by: id, blocked_status: status ?? 'unknown' };
    }
  }
  const waiting = rec.dependencies.filter((id) => found.get(id) !== 'completed');
  const since = rec.history.find((h) => h.status === 'waiting_dependencies')?.at;
  if (waiting.length > 0 && since && deps.clock.now().getTime() - Date.parse(since) > MAX_DEPENDENCY_WAIT_MS) {
    const at = deps.clock.now().toISOString();
    await deps.plans.appendHistory(input.customer_id, rec.id, { status: rec.status, reason: `${waiting.join(', ')} did not complete within 7 days: cancelling`, at });
    return { state: 'blocked', blocked_by: waiting[0], blocked_status: found.get(waiting[0]) ?? 'unknown' };
  }
  if (waiting.length > 0 && rec.status === 'approved') {
    const at = deps.clock.now().toISOString();
    await deps.recommendations.saveCoordination({
      customerId: input.customer_id,
      created: [],
      changed: [{ id: rec.id, from: 'approved', to: 'waiting_dependencies', entry: { status: 'waiting_dependencies', reason: `waiting for ${waiting.join(', ')}`, at } }],
      approvals: [],
      plans: [],
      cancelledApprovals: [],
    });
  }
  return waiting.length > 0 ? { state: 'waiting', waiting_for: waiting } : { state: 'ready' };
}

/**
 * A plan that cannot take its locks or an execution slot says so: waiting_resources, with a history
 * entry naming the resource and its holder (or the slot limit), written again only when that changes.
 */
async function showWaiting(rec: Recommendation, reason: string, deps: Pick<GateDeps, 'recommendations' | 'plans' | 'clock'>): Promise<void> {
  const said = `waiting for resources: ${reason}`;
  const at = deps.clock.now().toISOString();
  if (rec.status === 'approved' || rec.status === 'waiting_dependencies') {
    await deps.recommendations.saveCoordination({
      customerId: rec.customer_id,
      created: [],
      changed: [{ id: rec.id, from: rec.status, to: 'waiting_resources', entry: { status: 'waiting_resources', reason: said, at } }],
      approvals: [],
      plans: [],
      cancelledApprovals: [],
    });
  } else if (rec.status === 'waiting_resources' && rec.history.at(-1)?.reason !== said) {
    await deps.plans.appendHistory(rec.customer_id, rec.id, { status: 'waiting_resources', reason: said, at });
  }
}

export class ResourceBusy extends Error {
  override name = 'ResourceBusy';
}

/** "Acquire resource locks" / "Release locks", held in the name of the execution. */
export async function resourceLocks(
  input: { customer_id: string; recommendation_id: string; action: 'acquire' | 'release'; execution_name: string },
  deps: GateDeps & { locks: ResourceLocks; policies: PolicyStore; lockWaiters?: LockWaiters },
): Promise<{ held: number }> {
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (!rec) throw new NotFound(`recommendation ${input.recommendation_id} not found`);
  // Held in the recommendation's name, not this execution's: a repaired execution frees what a lost one took.
  const holder = lockHolder(input.customer_id, input.recommendation_id);
  if (input.action === 'release') {
    await deps.locks.release(input.customer_id, holder, rec.affected_resources);
    // Whoever waits for these resources, or for a slot, tries again now.
    if (deps.lockWaiters) await wakeWaiters(input.customer_id, rec.affected_resources, { lockWaiters: deps.lockWaiters, workflow: deps.workflow });
    return { held: 0 };
  }
  const policy = policyFrom(await deps.policies.getPolicy(input.customer_id));
  const result = await deps.locks.acquire(input.customer_id, holder, rec.affected_resources, policy.max_concurrent_executions);
  if (!result.acquired) {
    await showWaiting(rec, result.reason, deps);
    throw new ResourceBusy(result.reason);
  }
  // A count, not the list: the list can be 1,000 ids of 200 characters.
  return { held: rec.affected_resources.length };
}
