// The coordinate use case: take a batch of recommendations, check it against itself and the
// customer's active ones, keep the best non-conflicting set, and record every outcome.

import type { CoordinateRequest } from '../model/inputs.js';
import type {
  Approval,
  Conflict,
  CoordinationResponse,
  ExecutionPlan,
  HistoryEntry,
  Recommendation,
} from '../model/records.js';
import { inGroup, isActive, PLAN_UNDER_WAY, type RecommendationStatus } from '../model/statuses.js';
import type { CoordinationPorts } from '../ports/coordination.js';
import type { CoordinationChange, Metrics, StatusChange } from '../ports/index.js';
import { executionName, workflowInput } from '../ports/workflow.js';
import { admit } from '../rules/admission.js';
import {
  boundConflicts,
  CONFLICTS_PER_RECOMMENDATION,
  type ConflictSummary,
  withinResponseBudget,
} from '../rules/conflict-bounds.js';
import type { ActiveCandidate } from '../rules/conflicts.js';
import { dependencyOrder } from '../rules/dependency-graph.js';
import { pastExpiry, policyFrom } from '../rules/policy.js';
import { compareRank } from '../rules/ranking.js';
import { type Outcome, type ResolvedConflict, resolveConflicts } from '../rules/resolution.js';
import { refuseChangedResubmissions } from '../rules/resubmission.js';
import { effectiveRisk, riskOf } from '../rules/risk.js';
import { type EndedEarly, followEndedEarly } from './cancel-dependents.js';
import { underCustomerLease } from './customer-lease.js';
import { stopWorkflowOf } from './reconcile.js';
import { signalWorkflow } from './signal-decision.js';

/** Operators' counts of a coordination (issue 9 §1), from the ports when the caller passes them. */
type CoordinateDeps = CoordinationPorts & { metrics?: Metrics };

export async function coordinate(request: CoordinateRequest, deps: CoordinateDeps): Promise<CoordinationResponse> {
  // A dry run decides exactly as the real call would, from the same reads, and stops there: no lease
  // (a write), no item, no workflow. What it answers may differ from a later call if the customer's
  // recommendations change in between.
  if (request.dry_run) return (await coordinateOnce(request, deps)).response;
  // An approval decided while we worked may move a recommendation we meant to supersede: then it starts over.
  const outcome = await underCustomerLease(request.customer_id, deps, async () => {
    const decided = await coordinateOnce(request, deps);
    await deps.recommendations.saveCoordination(decided.change);
    return decided;
  });
  if (deps.metrics) countCoordination(deps.metrics, outcome);
  await driveWorkflows(request.customer_id, await outcome.workflows(), deps);
  return outcome.response;
}

/** What a coordination decided, before anything is stored. */
interface Coordinated {
  response: CoordinationResponse;
  change: CoordinationChange;
  /** Conflicts listed, by type (all of them unless very many were detected: see FULL_PAIR_LIST). */
  conflictTypes: Map<Conflict['type'], number>;
  /** The workflows to start and stop once the outcome is stored. */
  workflows: () => Promise<WorkflowWork>;
}

function countCoordination(metrics: Metrics, { response, change, conflictTypes }: Coordinated): void {
  metrics.count('Recommendations', { dimension: 'received', n: response.total_recommendations });
  metrics.count('Recommendations', { dimension: 'kept', n: response.recommendations_kept });
  metrics.count('Recommendations', { dimension: 'superseded', n: response.superseded.length });
  for (const outcome of ['discarded', 'rejected', 'cancelled', 'expired'] as const)
    metrics.count('Recommendations', {
      dimension: outcome,
      n: response.not_kept.filter((r) => r.status === outcome).length,
    });
  for (const [type, n] of conflictTypes) metrics.count('Conflicts', { dimension: type, n });
  metrics.count('Approvals', { dimension: 'requested', n: change.approvals.length });
  metrics.count('Approvals', { dimension: 'cancelled', n: change.cancelledApprovals.length });
}

interface WorkflowWork {
  start: { recommendation: Recommendation; approval?: Approval }[];
  superseded: Recommendation[];
  /** Active ones that ended without running (superseded, past expires_at): their dependents are cancelled. */
  endedEarly: EndedEarly[];
  /** The customer's active recommendations as this coordination read them (before its own outcome). */
  active: readonly Recommendation[];
}

/**
 * After the outcome is stored: one workflow per kept recommendation (and per resubmitted one that is
 * still active, in case an earlier attempt stored it but never started it; starting is idempotent),
 * and the workflows of superseded recommendations told to stop.
 */
async function driveWorkflows(customerId: string, work: WorkflowWork, deps: CoordinationPorts): Promise<void> {
  const now = deps.clock.now();
  await Promise.all(
    work.start.map(({ recommendation, approval }) =>
      deps.workflow.start(executionName(customerId, recommendation.id), workflowInput(recommendation, approval, now)),
    ),
  );
  await Promise.all(
    work.superseded.map(async (rec) => {
      if (rec.approval_id && rec.status === 'pending_approval') await signalWorkflow(customerId, rec.approval_id, deps);
      else await stopWorkflowOf(customerId, rec.id, 'superseded by a better-ranked recommendation', deps);
    }),
  );
  // After the lease is released: what depends on an ended one is cancelled (issue 13 §6), and those a
  // superseded one had beaten are judged again (§5).
  const revive = work.superseded.map((rec) => ({ id: rec.id, how: 'was superseded' }));
  await followEndedEarly(customerId, { ended: work.endedEarly, revive, active: work.active }, deps);
}

async function coordinateOnce(request: CoordinateRequest, deps: CoordinationPorts): Promise<Coordinated> {
  const { customer_id: customerId } = request;
  const now = deps.clock.now();
  const at = now.toISOString();
  const coordinationId = deps.ids.next('coord_');

  const referenced = new Set(request.recommendations.flatMap((r) => [r.id, ...r.dependencies]));
  const [stored, active, policyInput] = await Promise.all([
    deps.recommendations.getRecommendations(customerId, [...referenced]),
    deps.recommendations.listActive(customerId),
    deps.policies.getPolicy(customerId),
  ]);
  const policy = policyFrom(policyInput);
  // Past its expires_at, a recommendation that has not started running no longer holds its
  // resources against newcomers, and whatever depends on it cannot run (issue 13 §1).
  const over = (r: Recommendation) => r.status !== 'executing' && pastExpiry(r, now);
  const live = active.filter((r) => !over(r));
  const storedById = new Map(stored.map((r) => [r.id, r]));
  const duplicates = request.recommendations.filter((r) => storedById.has(r.id));
  refuseChangedResubmissions(duplicates, storedById);
  const fresh = request.recommendations
    .filter((r) => !storedById.has(r.id))
    .map((r) => ({ ...r, customer_id: customerId, ...effectiveRisk(r, policy) }));

  // Ranking and severity see the effective risk: understating cannot win a tie either.
  const resolution = resolveConflicts({
    fresh: fresh.map((r) => ({ ...r, risk_level: r.effective_risk })),
    active: live.map((r) => ({
      ...r,
      risk_level: riskOf(r),
      approved_by_people: approvedByPeople(r),
    })) as ActiveCandidate[],
    known: new Map(stored.map((r) => [r.id, over(r) && isActive(r.status) ? 'expired' : r.status])),
    freezeWindows: policy.freeze_windows,
    now,
  });
  const conflicts: Conflict[] = resolution.conflicts.map((c) => toConflict(c, deps.ids.next('conflict_'), at));
  const resolvedBy = new Map([...resolution.outcomes].flatMap(([id, o]) => (o.by ? [[id, o.by] as const] : [])));
  const bounded = boundConflicts(conflicts, resolution.conflictCounts, resolvedBy);

  const approvals: Approval[] = [];
  const plans: ExecutionPlan[] = [];
  const created = fresh.map((rec) => {
    const outcome = resolution.outcomes.get(rec.id)!;
    const base = {
      ...rec,
      execute_now: request.execute_now,
      coordination_id: coordinationId,
      ...bounded.of(rec.id),
      created_at: at,
      updated_at: at,
    };
    if (outcome.status !== 'kept') return withStatus(base, outcome.status, outcome.reason, at, outcome.by);
    const admission = admit(rec, policy, request.auto_approve, now, deps.ids);
    const kept = withStatus(base, admission.status, `kept; ${admission.reason}`, at);
    if (admission.status === 'pending_approval') {
      approvals.push(admission.approval);
      return { ...kept, approval_id: admission.approval.id };
    }
    plans.push(admission.plan);
    return { ...kept, plan_id: admission.plan.id };
  });

  const changed: StatusChange[] = live.flatMap((rec) => {
    const outcome = resolution.outcomes.get(rec.id);
    return outcome?.status === 'superseded' ? [supersede(rec, outcome, at, bounded.of(rec.id))] : [];
  });

  const supersededRecs = live.filter((r) => resolution.outcomes.get(r.id)?.status === 'superseded');
  const cancelledApprovals = supersededRecs
    .filter((r) => r.status === 'pending_approval' && r.approval_id)
    .map((r) => ({ id: r.approval_id!, reason: resolution.outcomes.get(r.id)!.reason }));
  const conflictPages = { coordinationId, pages: bounded.pages, detected: resolution.total };
  const change: CoordinationChange = {
    customerId,
    created,
    changed,
    approvals,
    plans,
    cancelledApprovals,
    conflictPages,
  };

  const createdById = new Map(created.map((r) => [r.id, r]));
  const keptIds = new Set(resolution.kept);
  const kept = dependencyOrder(
    resolution.kept.map((id) => createdById.get(id)!),
    compareRank,
  );
  const approvalsById = new Map(approvals.map((a) => [a.id, a]));
  // Read only once the outcome is stored (a dry run never asks).
  const workflows = async (): Promise<WorkflowWork> => ({
    start: [
      ...kept.map((r) => ({
        recommendation: r,
        approval: r.approval_id ? approvalsById.get(r.approval_id) : undefined,
      })),
      ...(await stillActiveDuplicates(
        customerId,
        duplicates.map((d) => storedById.get(d.id)!),
        deps,
      )),
    ],
    superseded: supersededRecs,
    endedEarly: [
      ...supersededRecs.map((r) => ({ id: r.id, how: `was superseded by ${resolution.outcomes.get(r.id)!.by}` })),
      ...active.filter((r) => over(r)).map((r) => ({ id: r.id, how: `expired at ${r.expires_at}` })),
    ],
    active,
  });
  const response: CoordinationResponse = {
    id: coordinationId,
    customer_id: customerId,
    total_recommendations: request.recommendations.length,
    // Every conflict detected is resolved: by keeping one side, or by an outcome of its own.
    conflicts_detected: resolution.total,
    conflicts_resolved: resolution.total,
    conflicts_listed: conflicts.length,
    conflicts_truncated: bounded.response.length < resolution.total,
    recommendations_kept: kept.length,
    approvals_required: approvals.length,
    auto_approved: kept.filter((r) => r.status === 'approved').length,
    duplicates: duplicates.map((r) => ({ id: r.id, status: storedById.get(r.id)!.status })),
    not_kept: created.filter((r) => !keptIds.has(r.id)).map(notKept),
    superseded: changed.map((c) => ({ id: c.id, superseded_by: c.resolved_by! })),
    conflicts: bounded.response,
    recommendations: withinResponseBudget(kept),
    approvals,
    execution_plans: request.execute_now ? plans : [],
    created_at: at,
  };
  const conflictTypes = new Map<Conflict['type'], number>();
  for (const c of resolution.conflicts) conflictTypes.set(c.type, (conflictTypes.get(c.type) ?? 0) + 1);
  return { response, change, conflictTypes, workflows };
}

/** People decided on it (it had an approval), and it has not ended: their decision is not undone by a newcomer. */
function approvedByPeople(rec: Recommendation): boolean {
  return rec.approval_id !== undefined && inGroup(PLAN_UNDER_WAY, rec.status);
}

async function stillActiveDuplicates(customerId: string, stored: Recommendation[], deps: CoordinationPorts) {
  const waiting = stored.filter((r) => r.status === 'pending_approval' || r.status === 'approved');
  return Promise.all(
    waiting.map(async (recommendation) => {
      const approval = recommendation.approval_id
        ? await deps.approvals.getApproval(customerId, recommendation.approval_id)
        : undefined;
      return { recommendation, approval: approval?.status === 'pending' ? approval : undefined };
    }),
  );
}

function withStatus<T extends Omit<Recommendation, 'status' | 'status_reason' | 'history'>>(
  rec: T,
  status: RecommendationStatus,
  reason: string,
  at: string,
  resolvedBy?: string,
): Recommendation {
  const entry: HistoryEntry = { status, reason, at };
  return {
    ...rec,
    status,
    status_reason: reason,
    history: [entry],
    ...(resolvedBy ? { resolved_by: resolvedBy } : {}),
  };
}

/** Its earlier conflicts stay; the new ones fill it up to CONFLICTS_PER_RECOMMENDATION. */
function supersede(rec: Recommendation, outcome: Outcome, at: string, summary: ConflictSummary): StatusChange {
  const room = Math.max(0, CONFLICTS_PER_RECOMMENDATION - rec.conflicts.length);
  const total = (rec.conflicts_total ?? rec.conflicts.length) + summary.conflicts_total;
  return {
    id: rec.id,
    from: rec.status,
    to: 'superseded',
    entry: { status: 'superseded', reason: outcome.reason, at },
    resolved_by: outcome.by,
    conflicts: summary.conflicts.slice(0, room),
    conflicts_total: total,
    conflicts_truncated: total > rec.conflicts.length + Math.min(room, summary.conflicts.length),
  };
}

function toConflict(c: ResolvedConflict, id: string, at: string): Conflict {
  return {
    id,
    type: c.type,
    recommendation_ids: c.recommendation_ids,
    description: c.description,
    severity: c.severity,
    conflicting_field: c.conflicting_field,
    detected_at: at,
    resolved: true,
    resolution: c.resolution,
    resolved_at: at,
  };
}

function notKept(rec: Recommendation) {
  return {
    id: rec.id,
    status: rec.status,
    reason: rec.status_reason,
    ...(rec.resolved_by ? { resolved_by: rec.resolved_by } : {}),
  };
}
