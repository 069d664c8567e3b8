// What becomes of a recommendation that is kept (at coordination, or revived later): it waits
// for people's approval when its effective risk needs it, else it is approved with its plan.

import type { RecommendationInput } from '../model/inputs.js';
import type { Approval, ExecutionPlan } from '../model/records.js';
import type { IdGenerator } from '../ports/ids.js';
import { buildPlan } from './plans.js';
import { approvalRequirement, type Policy } from './policy.js';
import type { EffectiveRisk } from './risk.js';

export type Admittable = RecommendationInput & { customer_id: string } & EffectiveRisk;

export type Admission =
  | { status: 'pending_approval'; reason: string; approval: Approval }
  | { status: 'approved'; reason: string; plan: ExecutionPlan };

export function admit(rec: Admittable, policy: Policy, autoApprove: boolean, now: Date, ids: IdGenerator): Admission {
  const at = now.toISOString();
  const risk = rec.effective_risk;
  const needed = approvalRequirement(risk, policy, autoApprove, now, rec.expires_at);
  const floor = rec.risk_floor_reason ? ` (${rec.risk_floor_reason})` : '';
  if (needed) {
    const approval: Approval = {
      id: ids.next('approval_'),
      recommendation_id: rec.id,
      customer_id: rec.customer_id,
      risk_level: risk,
      status: 'pending',
      requested_by: rec.agent_id,
      requested_at: at,
      expires_at: needed.expires_at,
      approvals_required: needed.approvals_required,
      votes: [],
    };
    return {
      status: 'pending_approval',
      reason: `${risk} risk${floor} needs ${needed.approvals_required} approval(s) before ${needed.expires_at}`,
      approval,
    };
  }
  const reason =
    autoApprove && policy.risk[risk].approvals_required > 0
      ? 'auto-approved (low risk)'
      : `${risk} risk${floor} needs no approval`;
  return { status: 'approved', reason, plan: buildPlan(rec, ids.next('plan_'), at) };
}
