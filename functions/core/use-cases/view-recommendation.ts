// What readers see: a recommendation with its approval and plan, without the workflow's bookkeeping.

import type { Approval, ExecutionPlan, Recommendation } from '../model/records.js';
import type { ApprovalStore, RecommendationStore } from '../ports/index.js';
import type { PlanStore } from '../ports/plans.js';
import { publicApproval, publicPlan } from '../rules/public-view.js';
import { recommendationOf } from './recommendation-of.js';

/** A recommendation with its approval and plan as the API shows them (null when it has none). */
export interface RecommendationView extends Recommendation {
  approval: Approval | null;
  plan: ExecutionPlan | null;
}

export async function viewRecommendation(
  customerId: string,
  id: string,
  deps: { recommendations: RecommendationStore; approvals: ApprovalStore; plans: PlanStore },
): Promise<RecommendationView> {
  const rec = await recommendationOf(customerId, id, deps);
  const [approval, plan] = await Promise.all([
    rec.approval_id ? deps.approvals.getApproval(customerId, rec.approval_id) : undefined,
    rec.plan_id ? deps.plans.getPlan(customerId, rec.plan_id) : undefined,
  ]);
  return { ...rec, approval: approval ? publicApproval(approval) : null, plan: plan ? publicPlan(plan) : null };
}
