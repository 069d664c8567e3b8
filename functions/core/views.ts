// What readers see: a recommendation with its approval and plan, without the workflow's bookkeeping.
import { customerFor, requireRole, type Principal } from './access.js';
import { publicApproval } from './approval-gate.js';
import { NotFound } from './errors.js';
import { publicPlan } from './execution.js';
import type { ApprovalStore, PlanStore, RecommendationStore } from './ports.js';

/** The customer an agent or approver reads for (the admin names one). */
export function readerCustomer(principal: Principal, requested: string | undefined): string {
  requireRole(principal, 'agent', 'approver');
  return customerFor(principal, requested);
}

export async function viewRecommendation(customerId: string, id: string, deps: { recommendations: RecommendationStore; approvals: ApprovalStore; plans: PlanStore }) {
  const [rec] = await deps.recommendations.getRecommendations(customerId, [id]);
  if (!rec) throw new NotFound(`recommendation ${id} not found`);
  const [approval, plan] = await Promise.all([
    rec.approval_id ? deps.approvals.getApproval(customerId, rec.approval_id) : undefined,
    rec.plan_id ? deps.plans.getPlan(customerId, rec.plan_id) : undefined,
  ]);
  return { ...rec, approval: approval ? publicApproval(approval) : null, plan: plan ? publicPlan(plan) : null };
}
