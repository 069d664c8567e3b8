// Approval policy (seed defaults, partial overrides, auto-approve) and execution plans (seed
// templates, explicit steps, the single-step default).
import { describe, expect, it } from 'vitest';
import { PolicyInput, RISK_LEVELS } from '../../functions/core/model/inputs.js';
import { buildPlan, parseStepId, planSteps, stepId, VALIDATION_AGENT } from '../../functions/core/rules/plans.js';
import { approvalRequirement, DEFAULT_POLICY, policyFrom } from '../../functions/core/rules/policy.js';
import { NOW, recommendationInput } from './fixtures.js';

const inHours = (h: number) => new Date(NOW.getTime() + h * 3600_000).toISOString();

describe('approval policy', () => {
  it.each([
    ['low', undefined],
    ['medium', { approvals_required: 1, expires_at: inHours(48) }],
    ['high', { approvals_required: 1, expires_at: inHours(24) }],
    ['critical', { approvals_required: 2, expires_at: inHours(4) }],
  ] as const)('by default %s risk needs %j', (risk, expected) => {
    expect(approvalRequirement(risk, DEFAULT_POLICY, false, NOW)).toEqual(expected);
  });

  it('auto_approve waives approval for low risk only', () => {
    const strict = policyFrom(
      PolicyInput.parse({ risk: { low: { approvals_required: 1, expires_in_seconds: 3600 } } }),
    );
    expect(approvalRequirement('low', strict, false, NOW)).toEqual({ approvals_required: 1, expires_at: inHours(1) });
    expect(approvalRequirement('low', strict, true, NOW)).toBeUndefined();
    for (const risk of ['medium', 'high', 'critical'] as const) {
      expect(approvalRequirement(risk, strict, true, NOW)).toEqual(approvalRequirement(risk, strict, false, NOW));
    }
  });

  it('a stored policy overrides only the levels it names', () => {
    const policy = policyFrom(
      PolicyInput.parse({
        risk: { high: { approvals_required: 3, expires_in_seconds: 600 } },
        max_concurrent_executions: 4,
      }),
    );
    expect(policy.risk.high).toEqual({ approvals_required: 3, expires_in_seconds: 600 });
    for (const risk of RISK_LEVELS.filter((r) => r !== 'high'))
      expect(policy.risk[risk]).toEqual(DEFAULT_POLICY.risk[risk]);
    expect(policy.max_concurrent_executions).toBe(4);
    expect(policyFrom(undefined)).toBe(DEFAULT_POLICY);
  });

  it('waiting, idle-approval and revival settings default to 24 h, 7 days and on, also for policies stored without them', () => {
    for (const policy of [
      DEFAULT_POLICY,
      policyFrom(PolicyInput.parse({})),
      policyFrom({ risk: {}, freeze_windows: [], max_concurrent_executions: 3 } as unknown as PolicyInput),
    ]) {
      expect([policy.max_wait_seconds, policy.execute_within_seconds, policy.revive_discarded]).toEqual([
        86_400,
        604_800,
        true,
      ]);
    }
    const set = policyFrom(
      PolicyInput.parse({ max_wait_seconds: 600, execute_within_seconds: 3600, revive_discarded: false }),
    );
    expect([set.max_wait_seconds, set.execute_within_seconds, set.revive_discarded]).toEqual([600, 3600, false]);
    expect(PolicyInput.safeParse({ max_wait_seconds: 0 }).success).toBe(false);
  });

  it('a level set to zero approvals needs nobody', () => {
    const lax = policyFrom(
      PolicyInput.parse({ risk: { critical: { approvals_required: 0, expires_in_seconds: 600 } } }),
    );
    expect(approvalRequirement('critical', lax, false, NOW)).toBeUndefined();
  });
});

describe('execution plans', () => {
  const shape = (steps: ReturnType<typeof planSteps>) =>
    steps.map((s) => [s.action, s.agent_id, s.critical, s.reversible]);

  it('migrate_to_spot follows the seed template', () => {
    expect(shape(planSteps(recommendationInput({ action: 'migrate_to_spot', agent_id: 'cost-agent-1' })))).toEqual([
      ['take_snapshot', 'cost-agent-1', true, true],
      ['migrate_workload', 'cost-agent-1', true, true],
      ['validate_quality', VALIDATION_AGENT, true, false],
    ]);
  });

  it('scale_down validates, scales, validates again', () => {
    expect(shape(planSteps(recommendationInput({ action: 'scale_down', agent_id: 'resource-agent-1' })))).toEqual([
      ['validate_quality', 'application-agent', true, false],
      ['scale_resources', 'resource-agent-1', true, true],
      ['validate_quality', 'application-agent', true, false],
    ]);
  });

  it('any other action is one critical, irreversible step carrying the parameters', () => {
    const steps = planSteps(
      recommendationInput({ action: 'optimize_kv_cache', agent_id: 'perf-agent-1', parameters: { size: 4 } }),
    );
    expect(steps).toEqual([
      {
        action: 'optimize_kv_cache',
        agent_id: 'perf-agent-1',
        parameters: { size: 4 },
        critical: true,
        reversible: false,
        timeout_seconds: 300,
      },
    ]);
  });

  it('explicit steps win over the template', () => {
    const explicit = [{ action: 'drain', parameters: {}, critical: false, reversible: true, timeout_seconds: 60 }];
    expect(planSteps(recommendationInput({ action: 'migrate_to_spot', steps: explicit }))).toBe(explicit);
  });

  it('buildPlan numbers the steps, fills in the agent, and starts pending', () => {
    const explicit = [{ action: 'drain', parameters: {}, critical: false, reversible: true, timeout_seconds: 60 }];
    const plan = buildPlan(
      { ...recommendationInput({ agent_id: 'a-1', steps: explicit }), customer_id: 'c-1' },
      'plan-1',
      NOW.toISOString(),
    );
    expect(plan).toMatchObject({
      id: 'plan-1',
      recommendation_id: 'rec-1',
      customer_id: 'c-1',
      status: 'pending',
      current_step: 0,
    });
    expect(plan.steps).toEqual([
      expect.objectContaining({
        id: 'plan-1-s1',
        index: 0,
        action: 'drain',
        agent_id: 'a-1',
        status: 'pending',
        critical: false,
      }),
    ]);
  });
});

describe('step ids', () => {
  it('lead back to their plan and position', () => {
    expect(parseStepId(stepId('plan_abc-1', 0))).toEqual({ planId: 'plan_abc-1', index: 0 });
    expect(parseStepId(stepId('plan_x', 49))).toEqual({ planId: 'plan_x', index: 49 });
    expect(parseStepId('plan_x')).toBeUndefined();
    expect(parseStepId('plan_x-s0x')).toBeUndefined();
    expect(parseStepId('plan_x-s0')).toBeUndefined();
  });
});
