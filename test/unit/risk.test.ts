// Risk floors (issue 8 §2): the effective risk is the higher of the declared risk and the policy's
// minimum over the action and the explicit steps' actions; it never goes below the declared risk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyInput, RISK_LEVELS, StepInput } from '../../functions/core/model/inputs.js';
import { approvalRequirement, policyFrom } from '../../functions/core/rules/policy.js';
import { RISK_RANK } from '../../functions/core/rules/ranking.js';
import { effectiveRisk } from '../../functions/core/rules/risk.js';
import { NOW, recommendationInput } from './fixtures.js';

const policy = policyFrom(
  PolicyInput.parse({ action_risk: { delete_database: 'critical', migrate_to_spot: 'medium' } }),
);
const step = (action: string) => StepInput.parse({ action });

describe('effective risk', () => {
  it('an understated delete_database is critical, needing two approvers within 4 h, auto_approve or not', () => {
    const risk = effectiveRisk(recommendationInput({ action: 'delete_database', risk_level: 'low' }), policy);
    expect(risk).toEqual({
      effective_risk: 'critical',
      risk_floor_reason: "declared low, but action delete_database is at least critical by the customer's action_risk",
    });
    expect(approvalRequirement(risk.effective_risk, policy, true, NOW)).toEqual({
      approvals_required: 2,
      expires_at: new Date(NOW.getTime() + 4 * 3600_000).toISOString(),
    });
  });

  it("counts the explicit steps' actions, naming the step", () => {
    const rec = recommendationInput({
      action: 'tidy_up',
      risk_level: 'medium',
      steps: [step('take_snapshot'), step('delete_database')],
    });
    expect(effectiveRisk(rec, policy)).toEqual({
      effective_risk: 'critical',
      risk_floor_reason:
        "declared medium, but steps[1].action delete_database is at least critical by the customer's action_risk",
    });
  });

  it('applies default_action_risk to actions the policy does not list, and keeps a declared risk above the floor', () => {
    const strict = policyFrom(PolicyInput.parse({ default_action_risk: 'high', action_risk: { optimize: 'low' } }));
    expect(
      effectiveRisk(recommendationInput({ action: 'resize', risk_level: 'low' }), strict).risk_floor_reason,
    ).toContain('default_action_risk');
    expect(effectiveRisk(recommendationInput({ action: 'optimize', risk_level: 'low' }), strict)).toEqual({
      effective_risk: 'low',
    });
    expect(effectiveRisk(recommendationInput({ action: 'delete_database', risk_level: 'critical' }), policy)).toEqual({
      effective_risk: 'critical',
    });
  });

  it('is the maximum of the declared risk and every floor, for any policy', () => {
    const level = fc.constantFrom(...RISK_LEVELS);
    const action = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(
        level,
        fc.dictionary(action, level),
        level,
        action,
        fc.array(action, { maxLength: 4 }),
        (declared, actionRisk, fallback, main, steps) => {
          const p = policyFrom(PolicyInput.parse({ action_risk: actionRisk, default_action_risk: fallback }));
          const rec = recommendationInput({
            action: main,
            risk_level: declared,
            steps: steps.length ? steps.map(step) : undefined,
          });
          const floors = [main, ...steps].map((a) => RISK_RANK[actionRisk[a] ?? fallback]);
          const { effective_risk, risk_floor_reason } = effectiveRisk(rec, p);
          expect(RISK_RANK[effective_risk]).toBe(Math.max(RISK_RANK[declared], ...floors));
          expect(risk_floor_reason !== undefined).toBe(effective_risk !== declared);
        },
      ),
    );
  });

  it('refuses an unknown risk in the policy, naming the action', () => {
    const r = PolicyInput.safeParse({ action_risk: { delete_database: 'extreme' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['action_risk', 'delete_database']);
  });
});
