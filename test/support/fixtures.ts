// Recommendations as agents send them, and seed 001 STEP 5's batches.
import type { RecommendationInput } from '../../functions/core/model/inputs.js';
import { SEED_SCENARIOS } from '../../local/seed-scenarios.js';

type Wire = Partial<RecommendationInput> & Pick<RecommendationInput, 'id'>;

export function rec(overrides: Wire): Record<string, unknown> {
  return {
    agent_id: 'cost-agent-1',
    agent_type: 'cost',
    type: 'cost',
    title: `Recommendation ${overrides.id}`,
    action: 'optimize',
    risk_level: 'low',
    estimated_savings: 100,
    affected_resources: [],
    priority: 5,
    confidence: 0.9,
    ...overrides,
  };
}

/** Seed 001 STEP 5's payloads (the same ones the demo plays), for a given customer. */
export const seed = {
  test1: (customer: string) => SEED_SCENARIOS[0].request(customer),
  test2: (customer: string) => SEED_SCENARIOS[1].request(customer),
  test3: (customer: string) => SEED_SCENARIOS[2].request(customer),
};
