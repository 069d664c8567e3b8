// Recommendations as agents send them (seed 001 STEP 5), and helpers to vary them.
import type { RecommendationInput } from '../../functions/core/schemas.js';

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

export const seed = {
  test1: (customer: string) => ({
    customer_id: customer,
    recommendations: [
      rec({ id: 'rec-001', customer_id: customer, title: 'Migrate to Spot Instances', description: 'Migrate 5 instances to spot pricing', action: 'migrate_to_spot', risk_level: 'medium', estimated_savings: 2000, affected_resources: ['i-001', 'i-002', 'i-003'], priority: 10, confidence: 0.92 }),
      rec({ id: 'rec-002', customer_id: customer, agent_id: 'perf-agent-1', agent_type: 'performance', type: 'performance', title: 'Optimize KV Cache', description: 'Tune KV cache for better latency', action: 'optimize_kv_cache', risk_level: 'low', estimated_savings: 500, affected_resources: ['model-a'], priority: 5, confidence: 0.88 }),
    ],
    auto_approve: true,
    execute_now: false,
  }),
  test2: (customer: string) => ({
    customer_id: customer,
    recommendations: [
      rec({ id: 'rec-003', customer_id: customer, title: 'Migrate to Spot', action: 'migrate_to_spot', risk_level: 'medium', estimated_savings: 2000, affected_resources: ['i-101', 'i-102', 'i-103'], priority: 10, confidence: 0.92 }),
      rec({ id: 'rec-004', customer_id: customer, agent_id: 'resource-agent-1', agent_type: 'resource', type: 'resource', title: 'Scale Down Cluster', action: 'scale_down', risk_level: 'medium', estimated_savings: 1500, affected_resources: ['i-102', 'i-103', 'i-104'], priority: 8, confidence: 0.85 }),
    ],
    auto_approve: false,
    execute_now: false,
  }),
  test3: (customer: string) => ({
    customer_id: customer,
    recommendations: [
      rec({ id: 'rec-005', customer_id: customer, agent_id: 'resource-agent-1', agent_type: 'resource', type: 'resource', title: 'Scale Up', action: 'scale_up', risk_level: 'low', estimated_savings: 0, affected_resources: ['cluster-a'], priority: 8, confidence: 0.9 }),
      rec({ id: 'rec-006', customer_id: customer, title: 'Scale Down', action: 'scale_down', risk_level: 'medium', estimated_savings: 1000, affected_resources: ['cluster-a'], priority: 10, confidence: 0.88 }),
    ],
    auto_approve: false,
    execute_now: false,
  }),
};
