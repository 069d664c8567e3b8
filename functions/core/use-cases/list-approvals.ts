// What an approver works from (issue 13 §7): each pending approval with what it would do — title,
// action, resources, effective risk, savings, the plan's steps, the dependencies and their state —
// the votes so far, and whether the caller has voted. Paginated like the recommendations list.

import type { RiskLevel } from '../model/inputs.js';
import type { Approval, Recommendation } from '../model/records.js';
import type { Principal } from '../ports/access.js';
import type { Clock } from '../ports/clock.js';
import type { ApprovalStore, RecommendationStore } from '../ports/index.js';
import { cutByBytes } from '../rules/page-bytes.js';
import { planSteps } from '../rules/plans.js';
import { publicApproval } from '../rules/public-view.js';
import { riskOf } from '../rules/risk.js';

export interface ListedApproval extends Approval {
  title: string;
  action: string;
  affected_resources: string[];
  effective_risk: RiskLevel;
  estimated_savings: number;
  plan_steps: { action: string; agent_id: string; critical: boolean; reversible: boolean }[];
  dependencies: { id: string; status: string }[];
  /** Whether the calling approver has voted on it already. */
  voted_by_me: boolean;
}

export async function listApprovals(
  customerId: string,
  principal: Principal,
  query: { limit: number; next?: string },
  deps: { approvals: ApprovalStore; recommendations: RecommendationStore; clock: Clock },
): Promise<{ approvals: ListedApproval[]; next?: string }> {
  const page = await deps.approvals.listPendingPage(customerId, deps.clock.now().toISOString(), query);
  const recs = await deps.recommendations.getRecommendations(customerId, [
    ...new Set(page.items.map((a) => a.recommendation_id)),
  ]);
  const recById = new Map(recs.map((r) => [r.id, r]));
  const depIds = [...new Set(recs.flatMap((r) => r.dependencies))];
  const depStatus = new Map(
    (await deps.recommendations.getRecommendations(customerId, depIds)).map((r) => [r.id, r.status as string]),
  );
  const me = principal.role === 'approver' ? principal.approver_id : undefined;
  const { items: approvals, next } = cutByBytes(page, (stored) => {
    const rec = recById.get(stored.recommendation_id);
    return rec ? listed(publicApproval(stored), rec, depStatus, me) : undefined;
  });
  return { approvals, ...(next ? { next } : {}) };
}

function listed(
  approval: Approval,
  rec: Recommendation,
  depStatus: ReadonlyMap<string, string>,
  me: string | undefined,
): ListedApproval {
  return {
    ...approval,
    title: rec.title,
    action: rec.action,
    affected_resources: rec.affected_resources,
    effective_risk: riskOf(rec),
    estimated_savings: rec.estimated_savings,
    plan_steps: planSteps(rec).map((s) => ({
      action: s.action,
      agent_id: s.agent_id ?? rec.agent_id,
      critical: s.critical,
      reversible: s.reversible,
    })),
    dependencies: rec.dependencies.map((id) => ({ id, status: depStatus.get(id) ?? 'unknown' })),
    voted_by_me: me !== undefined && approval.votes.some((v) => v.approver_id === me),
  };
}
