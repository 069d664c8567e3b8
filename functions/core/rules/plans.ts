// Execution plans: a recommendation's explicit steps, else the seed's templates.

import type { RecommendationInput, StepInput } from '../model/inputs.js';
import type { ExecutionPlan, PlanStep } from '../model/records.js';

export const VALIDATION_AGENT = 'application-agent';

type Template = (rec: RecommendationInput) => Omit<StepInput, 'parameters' | 'timeout_seconds'>[];

const TEMPLATES: Record<string, Template> = {
  migrate_to_spot: (rec) => [
    { action: 'take_snapshot', agent_id: rec.agent_id, critical: true, reversible: true },
    { action: 'migrate_workload', agent_id: rec.agent_id, critical: true, reversible: true },
    { action: 'validate_quality', agent_id: VALIDATION_AGENT, critical: true, reversible: false },
  ],
  scale_down: (rec) => [
    { action: 'validate_quality', agent_id: VALIDATION_AGENT, critical: true, reversible: false },
    { action: 'scale_resources', agent_id: rec.agent_id, critical: true, reversible: true },
    { action: 'validate_quality', agent_id: VALIDATION_AGENT, critical: true, reversible: false },
  ],
};

const DEFAULT_TIMEOUT_SECONDS = 300;

export function planSteps(rec: RecommendationInput): StepInput[] {
  if (rec.steps) return rec.steps;
  const template = TEMPLATES[rec.action];
  if (!template) {
    return [
      {
        action: rec.action,
        agent_id: rec.agent_id,
        parameters: rec.parameters,
        critical: true,
        reversible: false,
        timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
      },
    ];
  }
  return template(rec).map((s) => ({ ...s, parameters: rec.parameters, timeout_seconds: DEFAULT_TIMEOUT_SECONDS }));
}

/**
 * What a step is sent: the recommendation's parameters with the step's own keys winning, so
 * `parameters.simulate` (and anything else given once) reaches explicit steps too. Merged when the
 * step is dispatched, not stored per step: 50 copies of 16 KiB would not fit the plan item.
 */
export function stepParameters(
  recParameters: Record<string, unknown>,
  step: Pick<PlanStep, 'parameters'>,
): Record<string, unknown> {
  return { ...recParameters, ...step.parameters };
}

/** A step's id names its plan, so an agent's callback leads to the plan without another lookup. */
export function stepId(planId: string, index: number): string {
  return `${planId}-s${index + 1}`;
}

export function parseStepId(id: string): { planId: string; index: number } | undefined {
  const match = /^(.+)-s(\d{1,3})$/.exec(id);
  return match && Number(match[2]) >= 1 ? { planId: match[1], index: Number(match[2]) - 1 } : undefined;
}

export function buildPlan(
  rec: RecommendationInput & { customer_id: string },
  planId: string,
  now: string,
): ExecutionPlan {
  const steps: PlanStep[] = planSteps(rec).map((s, index) => ({
    id: stepId(planId, index),
    index,
    action: s.action,
    agent_id: s.agent_id ?? rec.agent_id,
    parameters: s.parameters,
    critical: s.critical,
    reversible: s.reversible,
    timeout_seconds: s.timeout_seconds,
    ...(s.after !== undefined ? { after: s.after } : {}),
    status: 'pending',
    duration_ms: 0,
  }));
  return {
    id: planId,
    recommendation_id: rec.id,
    customer_id: rec.customer_id,
    steps,
    status: 'pending',
    current_step: 0,
    created_at: now,
    total_duration_ms: 0,
  };
}
