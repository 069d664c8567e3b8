// Losers get a second chance (issue 13 §5): when a kept recommendation ends without running
// (rejected, expired, cancelled, superseded before its first step), those it beat are judged again
// against the customer's active set. Whoever now wins comes back — pending approval or approved —
// with a history entry naming why; nobody active is displaced by a revival. Policy revive_discarded.

import type { Approval, ExecutionPlan, Recommendation } from '../model/records.js';
import type { CoordinationPorts } from '../ports/coordination.js';
import type { StatusChange } from '../ports/index.js';
import { executionName, workflowInput } from '../ports/workflow.js';
import { admit } from '../rules/admission.js';
import type { ActiveCandidate } from '../rules/conflicts.js';
import { pastExpiry, policyFrom } from '../rules/policy.js';
import { resolveConflicts } from '../rules/resolution.js';
import { riskOf } from '../rules/risk.js';

/** `ended`: the kept recommendation that ended without running, and how ("was rejected by alice"). A revival stops no workflow. */
export async function reconsiderLosers(
  customerId: string,
  ended: { id: string; how: string },
  deps: Omit<CoordinationPorts, 'reconcile'>,
): Promise<string[]> {
  const policy = policyFrom(await deps.policies.getPolicy(customerId));
  if (!policy.revive_discarded) return [];
  // Under the coordination lease: a coordination and a revival never judge the same active set at once.
  const release = await deps.recommendations.lockCustomer(customerId);
  let revived: { rec: Recommendation; approval?: Approval }[];
  try {
    revived = await reviveUnderLease(customerId, ended, policy, deps);
  } finally {
    await release();
  }
  const now = deps.clock.now();
  // Discarded recommendations never had a workflow: the first one starts now.
  await Promise.all(
    revived.map(({ rec, approval }) =>
      deps.workflow.start(executionName(customerId, rec.id), workflowInput(rec, approval, now)),
    ),
  );
  return revived.map(({ rec }) => rec.id);
}

async function reviveUnderLease(
  customerId: string,
  ended: { id: string; how: string },
  policy: ReturnType<typeof policyFrom>,
  deps: Omit<CoordinationPorts, 'reconcile'>,
) {
  const now = deps.clock.now();
  const losers = (await deps.recommendations.listBeatenBy(customerId, ended.id)).filter(
    (r) => r.status === 'discarded',
  );
  if (losers.length === 0) return [];
  const active = (await deps.recommendations.listActive(customerId)).filter(
    (r) => r.id !== ended.id && (r.status === 'executing' || !pastExpiry(r, now)),
  );
  const dependencyIds = [...new Set(losers.flatMap((r) => r.dependencies))];
  const known = new Map(
    (await deps.recommendations.getRecommendations(customerId, dependencyIds)).map((r) => [r.id, r.status]),
  );
  const resolution = resolveConflicts({
    fresh: losers.map((r) => ({ ...r, risk_level: riskOf(r) })),
    // Every active one holds its place: a revival never displaces anybody.
    active: active.map((r) => ({ ...r, risk_level: riskOf(r), approved_by_people: true })) as ActiveCandidate[],
    known,
    freezeWindows: policy.freeze_windows,
    now,
  });
  const at = now.toISOString();
  const approvals: Approval[] = [];
  const plans: ExecutionPlan[] = [];
  const revived: { rec: Recommendation; approval?: Approval }[] = [];
  const changed: StatusChange[] = [];
  for (const rec of losers) {
    if (resolution.outcomes.get(rec.id)?.status !== 'kept') continue;
    const admission = admit({ ...rec, effective_risk: riskOf(rec) }, policy, false, now, deps.ids);
    const reason = `revived: ${ended.id} ${ended.how}; ${admission.reason}`;
    const change: StatusChange = {
      id: rec.id,
      from: 'discarded',
      to: admission.status,
      entry: { status: admission.status, reason, at },
      clear_resolved_by: true,
    };
    if (admission.status === 'pending_approval') {
      approvals.push(admission.approval);
      change.approval_id = admission.approval.id;
    } else {
      plans.push(admission.plan);
      change.plan_id = admission.plan.id;
    }
    changed.push(change);
    const after = {
      ...rec,
      status: admission.status,
      status_reason: reason,
      approval_id: change.approval_id,
      plan_id: change.plan_id,
    };
    revived.push({ rec: after, approval: admission.status === 'pending_approval' ? admission.approval : undefined });
  }
  if (changed.length === 0) return [];
  await deps.recommendations.saveCoordination({
    customerId,
    created: [],
    changed,
    approvals,
    plans,
    cancelledApprovals: [],
  });
  return revived;
}
