// What the plan's workflow tasks share: the ports each needs (GateDeps, StepDeps, LockDeps) and
// loading a recommendation with its plan.
import { NotFound } from '../model/errors.js';
import type { Recommendation, StoredPlan } from '../model/records.js';
import type { AgentCircuits } from '../ports/agent-circuits.js';
import type { AgentClient, AgentTarget } from '../ports/agent-client.js';
import type { Clock } from '../ports/clock.js';
import type { AgentDirectory, AgentRecord, PolicyStore, RecommendationStore } from '../ports/index.js';
import type { LockWaiters } from '../ports/lock-waiters.js';
import type { Notifier } from '../ports/notifier.js';
import type { PlanStore } from '../ports/plans.js';
import type { ResourceLocks } from '../ports/resource-locks.js';
import type { Workflow } from '../ports/workflow.js';
import { recommendationOf } from './recommendation-of.js';

export interface GateDeps {
  recommendations: RecommendationStore;
  plans: PlanStore;
  workflow: Workflow;
  clock: Clock;
}

/** `results: false` when only the steps' statuses matter: a plan's results can be megabytes. */
export async function loadPlanOf(
  customerId: string,
  recommendationId: string,
  deps: Pick<GateDeps, 'recommendations' | 'plans'>,
  results = true,
): Promise<{ rec: Recommendation; plan: StoredPlan }> {
  const rec = await recommendationOf(customerId, recommendationId, deps);
  const plan = rec.plan_id ? await deps.plans.getPlan(customerId, rec.plan_id, { results }) : undefined;
  if (!plan) throw new NotFound(`recommendation ${recommendationId} has no plan`);
  return { rec, plan };
}

export interface StepDeps {
  recommendations: RecommendationStore;
  plans: PlanStore;
  /** The agents, with their circuit breakers where the directory counts them. */
  agents: AgentDirectory & Partial<AgentCircuits>;
  agentClient: AgentClient;
  /** For the circuit breaker's policy and its operator alerts (without them: the defaults, no alert). */
  policies?: PolicyStore;
  notifier?: Notifier;
  /** Where a step goes: its agent's endpoint, or (locally) the simulated agents. */
  resolveTarget: (agent: AgentRecord | undefined) => AgentTarget | undefined;
  workflow: Workflow;
  clock: Clock;
  publicUrl: string;
}

export type LockDeps = GateDeps & { locks: ResourceLocks; policies: PolicyStore; lockWaiters?: LockWaiters };
