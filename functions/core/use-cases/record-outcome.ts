// The workflow's "Record ..." states: make the stored state say how the recommendation ended. Each is
// idempotent: if a decision endpoint already recorded it, nothing changes.

import type { PlanStatus } from '../model/records.js';
import { BEFORE_RUN, ENDINGS_BEFORE_RUN, endedWithoutCompleting, PLAN_UNDER_WAY } from '../model/statuses.js';
import type { Clock } from '../ports/clock.js';
import type { CoordinationPorts } from '../ports/coordination.js';
import type { DependencyWaiters } from '../ports/dependency-waiters.js';
import type { IdGenerator } from '../ports/ids.js';
import type { ApprovalStore, PolicyStore, RecommendationStore, StatusChange } from '../ports/index.js';
import type { Notifier } from '../ports/notifier.js';
import type { PlanStore } from '../ports/plans.js';
import type { Workflow } from '../ports/workflow.js';
import { expiryReason } from '../rules/expiry.js';
import {
  type ExecutionOutcome,
  FINISHED_PLAN_STATUSES,
  PLAN_STATUS_BY_OUTCOME,
  planOutcome,
} from '../rules/plan-progress.js';
import { policyFrom } from '../rules/policy.js';
import { criticalFailure } from '../rules/step-graph.js';
import { followEndedEarly } from './cancel-dependents.js';
import { loadPlanOf } from './plan-tasks.js';
import { signalDependents } from './signal-dependents.js';

/** How the workflow's "Record ..." states say a recommendation ended (the task's `outcome`). */
export const OUTCOMES = [
  'rejected',
  'superseded',
  'expired',
  'approval_failed',
  'completed',
  'failed',
  'rolled_back',
  'cancelled',
  'expired_before_run',
] as const;

export interface OutcomeInput {
  customer_id: string;
  recommendation_id: string;
  approval_id: string | null;
  outcome: (typeof OUTCOMES)[number];
}

export interface OutcomeDeps {
  approvals: ApprovalStore;
  recommendations: RecommendationStore;
  plans: PlanStore;
  notifier: Notifier;
  clock: Clock;
  /** The customer's policy (execute_within_seconds in an expiry reason); defaults without it. */
  policies?: PolicyStore;
  /** Wakes the dependents waiting on this recommendation; without it they notice at their next poll. */
  waiters?: DependencyWaiters;
  workflow?: Workflow;
  /** With workflow and policies: dependents of a recommendation that ended early are cancelled, its losers reconsidered. */
  ids?: IdGenerator;
  reconcile?: CoordinationPorts['reconcile'];
}

export async function recordOutcome(
  input: OutcomeInput,
  deps: OutcomeDeps,
): Promise<{ changed: boolean; outcome: string }> {
  const recorded =
    input.outcome === 'rejected' ||
    input.outcome === 'superseded' ||
    input.outcome === 'expired' ||
    input.outcome === 'approval_failed'
      ? { outcome: input.outcome, ...(await recordApprovalOutcome({ ...input, outcome: input.outcome }, deps)) }
      : input.outcome === 'expired_before_run'
        ? await recordExpiredBeforeRun(input, deps)
        : await recordExecutionOutcome({ ...input, outcome: input.outcome }, deps);
  // Every path is terminal: whoever waits on this recommendation checks again now. Also when this
  // call changed nothing (a retry, or the decision recorded it first): signalling twice is harmless.
  // Dependents not started yet are cancelled at once with the true reason (approvals withdrawn,
  // workflows stopped), before the waiting ones are woken to find out for themselves.
  const coordination = coordinationDeps(deps);
  if (coordination) await followEnded(input, coordination);
  if (deps.waiters && deps.workflow)
    await signalDependents(input.customer_id, input.recommendation_id, {
      waiters: deps.waiters,
      workflow: deps.workflow,
    });
  return recorded;
}

function coordinationDeps(deps: OutcomeDeps): CoordinationPorts | undefined {
  const { workflow, policies, ids, reconcile } = deps;
  return workflow && policies && ids && reconcile ? { ...deps, workflow, policies, ids, reconcile } : undefined;
}

/**
 * A recommendation that ended in anything but completed takes its not-started dependents with it
 * (issue 13 §6: the approval gate and coordinate do the same for what they end); one that ended
 * expired or cancelled before it ever ran gives those it had beaten a second chance (§5).
 * Idempotent: a retry finds nothing left to cancel and no loser still discarded.
 */
async function followEnded(input: OutcomeInput, deps: CoordinationPorts): Promise<void> {
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (!rec || !endedWithoutCompleting(rec.status)) return;
  const ended = { id: rec.id, how: `was ${rec.status.replace('_', ' ')}` };
  const neverRan =
    (rec.status === 'expired' || rec.status === 'cancelled') && !rec.history.some((h) => h.status === 'executing');
  await followEndedEarly(input.customer_id, { ended: [ended], revive: neverRan ? [ended] : [] }, deps);
}

const ENDED_UNSTARTED: ReadonlySet<string> = new Set(ENDINGS_BEFORE_RUN);

/**
 * A recommendation that ended before its plan started leaves no plan behind that says `pending`:
 * the plan is `cancelled`, every step `skipped` (issue 13 §8). Idempotent.
 */
export async function cancelUnstartedPlan(
  customerId: string,
  recommendationId: string,
  deps: Pick<OutcomeDeps, 'recommendations' | 'plans' | 'clock'>,
): Promise<boolean> {
  const [rec] = await deps.recommendations.getRecommendations(customerId, [recommendationId]);
  if (!rec?.plan_id || !ENDED_UNSTARTED.has(rec.status)) return false;
  const plan = await deps.plans.getPlan(customerId, rec.plan_id, { results: false });
  if (plan?.status !== 'pending') return false;
  return deps.plans.cancelUnstarted(
    customerId,
    plan.id,
    plan.steps.map((s) => ({ ...s, status: 'skipped' as const })),
    deps.clock.now().toISOString(),
  );
}

async function recordApprovalOutcome(
  input: OutcomeInput & { outcome: 'rejected' | 'superseded' | 'expired' | 'approval_failed' },
  deps: OutcomeDeps,
): Promise<{ changed: boolean; outcome?: 'cancelled' }> {
  const recorded = await closeApproval(input, deps);
  await cancelUnstartedPlan(input.customer_id, input.recommendation_id, deps);
  if (input.outcome !== 'superseded') return recorded;
  // A withdrawn approval: superseded by a better recommendation, or its recommendation cancelled
  // (by someone, or because a dependency ended): the workflow ends at the state that says which.
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  return rec?.status === 'cancelled' ? { ...recorded, outcome: 'cancelled' } : recorded;
}

/**
 * How an approval outcome closes a still-pending approval, and what its recommendation becomes. A
 * rejection is recorded by the decision itself, before the workflow hears of it: nothing to close.
 */
const CLOSINGS = {
  expired: {
    approval: 'expired',
    recommendation: { to: 'expired', reason: 'no decision before the approval expired' },
  },
  // Nobody could be asked: closed so no late decision approves a recommendation whose workflow is gone.
  approval_failed: {
    approval: 'cancelled',
    recommendation: { to: 'failed', reason: 'the approval could not be requested (see the execution history)' },
  },
  // Coordinate superseded the recommendation already; only a still-pending approval is left to close.
  superseded: { approval: 'cancelled', recommendation: undefined },
} as const;

async function closeApproval(
  input: OutcomeInput & { outcome: 'rejected' | 'superseded' | 'expired' | 'approval_failed' },
  deps: OutcomeDeps,
): Promise<{ changed: boolean }> {
  if (!input.approval_id || input.outcome === 'rejected') return { changed: false };
  const at = deps.clock.now().toISOString();
  const closing = CLOSINGS[input.outcome];
  const rec: StatusChange | undefined = closing.recommendation && {
    id: input.recommendation_id,
    from: 'pending_approval',
    to: closing.recommendation.to,
    entry: { status: closing.recommendation.to, reason: closing.recommendation.reason, at },
  };
  return {
    changed: await deps.approvals.closePending(input.customer_id, input.approval_id, closing.approval, rec, at),
  };
}

/** "Expired before running": the recommendation `expired` with the reason, its plan `cancelled`, every step `skipped`. */
async function recordExpiredBeforeRun(
  input: OutcomeInput,
  deps: OutcomeDeps,
): Promise<{ changed: boolean; outcome: string }> {
  const { rec, plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps, false);
  // Started after all (the request won the race): it runs to its own end.
  if (plan.status !== 'pending') return { changed: false, outcome: plan.status };
  const now = deps.clock.now();
  const at = now.toISOString();
  const reason = expiryReason(
    rec,
    plan,
    policyFrom(deps.policies ? await deps.policies.getPolicy(input.customer_id) : undefined),
    now,
  );
  const steps = plan.steps.map((s) => ({ ...s, status: 'skipped' as const }));
  const changed = await deps.plans.finishPlan(
    input.customer_id,
    plan.id,
    { status: 'cancelled', completed_at: at, steps },
    { id: rec.id, from: [...BEFORE_RUN], to: 'expired', entry: { status: 'expired', reason, at } },
  );
  return { changed, outcome: 'expired' };
}

const BLOCKED_SUFFIX = ': cancelling';
const ALERTED: ReadonlySet<ExecutionOutcome> = new Set(['failed', 'rolled_back', 'rollback_failed']);
const FINISHED_PLAN: ReadonlySet<PlanStatus> = new Set(FINISHED_PLAN_STATUSES);

/** "Record outcome": the plan's and the recommendation's final status, and an operator alert when it went wrong. */
async function recordExecutionOutcome(
  input: OutcomeInput & { outcome: 'completed' | 'failed' | 'rolled_back' | 'cancelled' },
  deps: OutcomeDeps,
): Promise<{ changed: boolean; outcome: ExecutionOutcome }> {
  const { rec, plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps);
  // An interrupted plan (its execution was lost mid-run) ends failed, or rollback_failed, whatever was undone.
  // Cancelled while it ran: its rollback ends it cancelled (rollback_failed if an undo failed). A
  // critical failure outranks a cancel: that rollback was the failure's, and it ends rolled_back.
  const cancel =
    input.outcome === 'rolled_back' && !plan.interrupted_at && !criticalFailure(plan.steps)
      ? rec.cancel_requested
      : undefined;
  const outcome = plan.interrupted_at
    ? planOutcome(plan, 'failed')
    : cancel
      ? planOutcome(plan, 'cancelled', true)
      : planOutcome(plan, input.outcome);
  const now = deps.clock.now();
  const at = now.toISOString();
  // Steps the run never reached (after a critical failure, or all of them when it never started) say so;
  // a step the lost execution was running may or may not have happened: failed, "interrupted".
  const steps = plan.steps.map((s) => {
    if (s.status === 'pending') return { ...s, status: 'skipped' as const };
    if (s.status === 'running' && plan.interrupted_at)
      return { ...s, status: 'failed' as const, error: 'interrupted: the workflow running this step was lost' };
    return s;
  });
  const summary = steps.map((s) => `${s.action}: ${s.status}`).join(', ');
  const ended = `plan ${plan.id} ${outcome.replace('_', ' ')} (${summary})`;
  // A plan that never got its locks names what it waited for (the last "waiting for resources" entry).
  const waitedFor =
    plan.status === 'pending' && rec.status === 'waiting_resources'
      ? rec.history.findLast((h) => h.status === 'waiting_resources')?.reason
      : undefined;
  // checkDependencies wrote which dependency blocked it ("dependency A is rejected: cancelling").
  const blocked = rec.history
    .findLast((h) => h.reason?.endsWith(BLOCKED_SUFFIX))
    ?.reason.slice(0, -BLOCKED_SUFFIX.length);
  const reason = cancel
    ? `cancelled by ${cancel.by}: ${cancel.reason}; ${ended}`
    : outcome === 'cancelled'
      ? (blocked ?? 'a dependency did not complete')
      : plan.interrupted_at
        ? `interrupted: ${ended}`
        : waitedFor
          ? `gave up ${waitedFor}: ${ended}`
          : ended;
  // Alert before the end is recorded: a retry after a failed publish finds the plan unfinished and
  // alerts again. At least once (a retry after a failed write may alert twice), never lost.
  if (!FINISHED_PLAN.has(plan.status) && ALERTED.has(outcome)) {
    await deps.notifier.publish({
      subject: `Arbiter: ${rec.id} ${outcome.replace('_', ' ')} for ${rec.customer_id}`,
      text: [
        `Recommendation ${rec.title} (${rec.id}) of customer ${rec.customer_id}: ${outcome.replace('_', ' ')}.`,
        ...(waitedFor ? [`It gave up ${waitedFor}.`] : []),
        ...(cancel ? [`It was cancelled by ${cancel.by}: ${cancel.reason}.`] : []),
        '',
        ...steps.map((s) => `- ${s.action}: ${s.status}${s.error ? ` (${s.error})` : ''}`),
        '',
        outcome === 'rollback_failed'
          ? 'A rollback failed: the resources may be half-changed. Check them by hand.'
          : '',
      ].join('\n'),
      // No approver attribute: approvers' filtered subscriptions never see these; operators subscribe on kind.
      attributes: { kind: 'operator_alert', outcome, customer_id: rec.customer_id, recommendation_id: rec.id },
    });
  }
  const changed = await deps.plans.finishPlan(
    input.customer_id,
    plan.id,
    {
      status: PLAN_STATUS_BY_OUTCOME[outcome],
      completed_at: at,
      total_duration_ms: plan.started_at ? now.getTime() - Date.parse(plan.started_at) : 0,
      steps,
    },
    {
      id: rec.id,
      from: PLAN_UNDER_WAY,
      to: outcome,
      entry: { status: outcome, reason, at },
    },
  );
  return { changed, outcome };
}
