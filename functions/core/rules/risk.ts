// Risk an agent cannot understate: the customer's policy sets a minimum risk per action
// (`action_risk`, else `default_action_risk`); a recommendation's effective risk is the higher of
// what it declares and the floor over its action and its explicit steps' actions.

import type { RecommendationInput, RiskLevel } from '../model/inputs.js';
import type { Policy } from './policy.js';
import { RISK_RANK } from './ranking.js';

export interface EffectiveRisk {
  /** What decides approval, auto_approve, expiry, ranking and severity. */
  effective_risk: RiskLevel;
  /** Why it is above the declared risk_level, when it is. */
  risk_floor_reason?: string;
}

const higher = (a: RiskLevel, b: RiskLevel): RiskLevel => (RISK_RANK[b] > RISK_RANK[a] ? b : a);

export function effectiveRisk(
  rec: Pick<RecommendationInput, 'action' | 'risk_level' | 'steps'>,
  policy: Pick<Policy, 'action_risk' | 'default_action_risk'>,
): EffectiveRisk {
  const floorOf = (action: string): RiskLevel =>
    Object.hasOwn(policy.action_risk, action) ? policy.action_risk[action] : policy.default_action_risk;
  const actions = [
    { field: 'action', action: rec.action },
    ...(rec.steps ?? []).map((s, j) => ({ field: `steps[${j}].action`, action: s.action })),
  ];
  let floor = { level: 'low' as RiskLevel, field: '', action: '' };
  for (const a of actions) {
    const level = floorOf(a.action);
    if (RISK_RANK[level] > RISK_RANK[floor.level]) floor = { level, ...a };
  }
  const effective = higher(rec.risk_level, floor.level);
  if (effective === rec.risk_level) return { effective_risk: effective };
  const source = Object.hasOwn(policy.action_risk, floor.action) ? 'action_risk' : 'default_action_risk';
  return {
    effective_risk: effective,
    risk_floor_reason: `declared ${rec.risk_level}, but ${floor.field} ${floor.action} is at least ${floor.level} by the customer's ${source}`,
  };
}

/** The risk a stored recommendation is handled with (records from before risk floors have none). */
export function riskOf(rec: { risk_level: RiskLevel; effective_risk?: RiskLevel }): RiskLevel {
  return rec.effective_risk ?? rec.risk_level;
}
