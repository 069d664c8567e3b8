// Explicit steps inherit the recommendation's parameters, their own keys winning (issue 7 §5).
import { describe, expect, it } from 'vitest';
import { RecommendationInput } from '../../functions/core/model/inputs.js';
import { buildPlan, stepParameters } from '../../functions/core/rules/plans.js';
import { rec } from '../support/fixtures.js';

const parse = (overrides: Record<string, unknown>) => ({
  ...RecommendationInput.parse(rec({ id: 'r', ...overrides } as never)),
  customer_id: 'c',
});

describe('step parameters', () => {
  it("an explicit step gets the recommendation's parameters, with its own keys winning", () => {
    const r = parse({
      parameters: { simulate: { fail_steps: ['b'] }, region: 'eu-west-1' },
      steps: [
        { action: 'a', parameters: { region: 'us-east-1' } },
        { action: 'b', critical: false },
      ],
    });
    const plan = buildPlan(r, 'plan_1', '2026-01-01T00:00:00Z');
    expect(plan.steps.map((step) => stepParameters(r.parameters, step))).toEqual([
      { simulate: { fail_steps: ['b'] }, region: 'us-east-1' },
      { simulate: { fail_steps: ['b'] }, region: 'eu-west-1' },
    ]);
  });

  it("a template step gets the recommendation's parameters unchanged", () => {
    const r = parse({ action: 'migrate_to_spot', parameters: { simulate: { async: true } } });
    const plan = buildPlan(r, 'plan_1', '2026-01-01T00:00:00Z');
    expect(plan.steps.map((step) => stepParameters(r.parameters, step))).toEqual(
      Array(3).fill({ simulate: { async: true } }),
    );
  });
});
