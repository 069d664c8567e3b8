// The reconciler: every non-terminal recommendation whose workflow is not running (lost with the
// local engine on a restart, never started because StartExecution failed after the commit, stopped
// or ended without cleanup) gets a workflow again, from what the table says, entered at the right
// state through its input. Each repair is claimed first, so two reconcilers never repair the same
// recommendation twice. It also finishes the retention of ended recommendations whose related items a
// crashed writer left without their TTL.

import type { Recommendation } from '../model/records.js';
import { ACTIVE_STATUSES, type RecommendationStatus } from '../model/statuses.js';
import type { PolicyStore } from '../ports/index.js';
import type { LockWaiters } from '../ports/lock-waiters.js';
import type { ExecutionState, ReconcileStore } from '../ports/reconcile.js';
import { executionName, type Workflow, type WorkflowInput, workflowInput } from '../ports/workflow.js';
import { WORKFLOW_ERRORS } from '../ports/workflow-contract.js';
import { expiryReason, hasExpired, idleDeadline } from '../rules/expiry.js';
import { policyFrom } from '../rules/policy.js';
import { SLOT_QUEUE } from '../rules/resource-queues.js';
import { type OutcomeDeps, recordOutcome } from './record-outcome.js';

export interface ReconcileDeps extends OutcomeDeps {
  reconcile: ReconcileStore;
  lockWaiters?: LockWaiters;
  policies: PolicyStore;
  workflow: Workflow & { state(name: string): Promise<ExecutionState> };
}

export interface Repair {
  customer_id: string;
  recommendation_id: string;
  status: RecommendationStatus;
  execution_name: string;
  entered_at:
    | 'approval'
    | 'execution request'
    | 'dependencies'
    | 'rollback (interrupted)'
    | 'completion (last step passed)'
    | 'expired (idle)';
}

/**
 * Leaves alone what changed less than `minAgeMs` ago (its workflow may be starting right now): on
 * AWS a few minutes; at the local stack's start 0, since nothing can be running then.
 */
export async function reconcile(deps: ReconcileDeps, options: { minAgeMs: number }): Promise<Repair[]> {
  const now = deps.clock.now();
  const repaired: Repair[] = [];
  const settled = (rec: { updated_at: string }) => now.getTime() - Date.parse(rec.updated_at) >= options.minAgeMs;
  const { inFlight, retentionPending } = await deps.reconcile.sweep(ACTIVE_STATUSES);
  for (const rec of inFlight.filter(settled)) {
    await wakeExpiredWaiter(rec, now, deps);
    const repair = (await expireIdle(rec, now, deps)) ?? (await repairOne(rec, now, deps));
    if (repair) repaired.push(repair);
  }
  // Ended, but whoever ended it died before its related items got its TTL: they would be kept forever.
  for (const rec of retentionPending.filter(settled)) await deps.reconcile.finishRetention(rec.customer_id, rec.id);
  return repaired;
}

/**
 * An approved plan nobody asked to execute within the policy's execute_within_seconds (or before
 * the recommendation's expires_at) ends: its waiting workflow is failed with Expired, which records
 * it; without a waiting workflow it is recorded here. Claimed on the plan, so it happens once.
 */
async function expireIdle(rec: Recommendation, now: Date, deps: ReconcileDeps): Promise<Repair | undefined> {
  if (rec.status !== 'approved' || rec.execute_now || !rec.plan_id) return undefined;
  const policy = policyFrom(await deps.policies.getPolicy(rec.customer_id));
  if (idleDeadline(rec, policy) > now.getTime()) return undefined;
  const plan = await deps.plans.claimExpiry(rec.customer_id, rec.plan_id, now.toISOString());
  if (!plan) return undefined;
  const reason = expiryReason(rec, plan, policy, now);
  const signal = plan.execution_token
    ? await deps.workflow.failTask(plan.execution_token, WORKFLOW_ERRORS.Expired, reason)
    : 'already_closed';
  if (signal !== 'sent')
    await recordOutcome(
      { customer_id: rec.customer_id, recommendation_id: rec.id, approval_id: null, outcome: 'expired_before_run' },
      deps,
    );
  return {
    customer_id: rec.customer_id,
    recommendation_id: rec.id,
    status: rec.status,
    execution_name: '',
    entered_at: 'expired (idle)',
  };
}

/**
 * A plan waiting for a dependency or for resources past its expires_at is woken, so it notices at
 * once (its next check ends it expired) rather than at its wait's safety timeout.
 */
async function wakeExpiredWaiter(rec: Recommendation, now: Date, deps: ReconcileDeps): Promise<void> {
  if (!hasExpired(rec, now)) return;
  if (rec.status === 'waiting_dependencies' && deps.waiters) {
    for (const dependency of rec.dependencies) {
      const waiter = (await deps.waiters.waitingOn(rec.customer_id, dependency)).find((w) => w.dependent_id === rec.id);
      if (waiter && (await deps.waiters.claim(rec.customer_id, waiter)))
        await deps.workflow.completeTask(waiter.task_token, { state: 'expired' });
    }
  }
  if (rec.status === 'waiting_resources' && deps.lockWaiters) {
    const waiter = (await deps.lockWaiters.queue(rec.customer_id, SLOT_QUEUE)).find(
      (w) => w.recommendation_id === rec.id,
    );
    if (waiter && (await deps.lockWaiters.claim(rec.customer_id, waiter)))
      await deps.workflow.completeTask(waiter.task_token, { state: 'expired' });
  }
}

async function repairOne(rec: Recommendation, now: Date, deps: ReconcileDeps): Promise<Repair | undefined> {
  const attempts = await deps.reconcile.repairs(rec.customer_id, rec.id);
  if ((await deps.workflow.state(executionName(rec.customer_id, rec.id, attempts))) === 'running') return undefined;
  const start = await inputFor(rec, now, deps);
  if (!start) return undefined;
  if (!(await deps.reconcile.claimRepair(rec.customer_id, rec.id, attempts, now.toISOString()))) return undefined;
  if (rec.status === 'executing' && rec.plan_id && !rec.last_step_passed_at)
    await deps.plans.markInterrupted(rec.customer_id, rec.plan_id, now.toISOString());
  const name = executionName(rec.customer_id, rec.id, attempts + 1);
  await deps.workflow.start(name, start.input);
  return {
    customer_id: rec.customer_id,
    recommendation_id: rec.id,
    status: rec.status,
    execution_name: name,
    entered_at: start.enteredAt,
  };
}

/** Where the new workflow starts, from the recommendation's status. */
async function inputFor(
  rec: Recommendation,
  now: Date,
  deps: ReconcileDeps,
): Promise<{ input: WorkflowInput; enteredAt: Repair['entered_at'] } | undefined> {
  const ids = { customer_id: rec.customer_id, recommendation_id: rec.id };
  // Past its approval: the new workflow skips it.
  const approved = { required: false, approval_id: rec.approval_id ?? null, timeout_seconds: 1 };
  switch (rec.status) {
    case 'pending_approval': {
      // The same approval: its token is replaced, so the emailed links decide the new workflow.
      const approval = rec.approval_id ? await deps.approvals.getApproval(rec.customer_id, rec.approval_id) : undefined;
      if (!approval) return undefined;
      return { input: workflowInput(rec, approval, now), enteredAt: 'approval' };
    }
    case 'approved': {
      const plan = rec.plan_id ? await deps.plans.getPlan(rec.customer_id, rec.plan_id, { results: false }) : undefined;
      // Asked to run (execute_now, or POST execute already accepted): straight to the plan; else wait for the request again.
      const runNow = rec.execute_now || Boolean(plan?.execution_requested_at);
      return {
        input: {
          ...ids,
          approval: approved,
          execute_now: runNow,
        },
        enteredAt: runNow ? 'dependencies' : 'execution request',
      };
    }
    case 'waiting_dependencies':
    case 'waiting_resources':
      return {
        input: {
          ...ids,
          approval: approved,
          execute_now: true,
        },
        enteredAt: 'dependencies',
      };
    case 'executing':
      // Past its last step, nothing was in flight: what it reached is recorded, nothing undone.
      if (rec.last_step_passed_at)
        return {
          input: { ...ids, approval: approved, execute_now: true, last_step_passed: true },
          enteredAt: 'completion (last step passed)',
        };
      // Nobody knows how far the interrupted step got: undo what completed, end failed ("interrupted").
      return {
        input: {
          ...ids,
          approval: approved,
          execute_now: true,
          interrupted: true,
        },
        enteredAt: 'rollback (interrupted)',
      };
    default:
      return undefined;
  }
}

/**
 * Stops whichever execution of the recommendation runs: its first, or a repaired one (named -r<n>).
 * For coordinate's supersession, which today stops only the first name.
 */
export async function stopWorkflowOf(
  customerId: string,
  recommendationId: string,
  cause: string,
  deps: { reconcile: Pick<ReconcileStore, 'repairs'>; workflow: Workflow },
): Promise<void> {
  const repairs = await deps.reconcile.repairs(customerId, recommendationId);
  for (let attempt = 0; attempt <= repairs; attempt++)
    await deps.workflow.stop(executionName(customerId, recommendationId, attempt), cause);
}
