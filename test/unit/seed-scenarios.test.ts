// Seed 001, STEP 5: the three coordination scenarios, from the seed's own payloads.
import { describe, expect, it } from 'vitest';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { resolveConflicts } from '../../functions/core/rules/resolution.js';
import { input } from './fixtures.js';

function coordinate(recommendations: object[]) {
  const request = CoordinateRequest.parse({
    customer_id: 'customer-1',
    recommendations,
    auto_approve: false,
    execute_now: false,
  });
  return resolveConflicts(input(request.recommendations));
}

const seed = (id: string, fields: object) => ({
  id,
  agent_id: 'cost-agent-1',
  agent_type: 'cost',
  customer_id: 'customer-1',
  type: 'cost',
  title: id,
  ...fields,
});

describe('seed 001 step 5', () => {
  it('test 1: spot migration and KV cache tuning do not conflict; both are kept', () => {
    const result = coordinate([
      seed('rec-001', {
        action: 'migrate_to_spot',
        risk_level: 'medium',
        estimated_savings: 2000,
        affected_resources: ['i-001', 'i-002', 'i-003'],
        priority: 10,
        confidence: 0.92,
      }),
      seed('rec-002', {
        action: 'optimize_kv_cache',
        risk_level: 'low',
        estimated_savings: 500,
        affected_resources: ['model-a'],
        priority: 5,
        confidence: 0.88,
      }),
    ]);
    expect(result.conflicts).toEqual([]);
    expect(result.kept).toEqual(['rec-001', 'rec-002']);
  });

  it('test 2: shared instances make one resource conflict, won by the higher priority', () => {
    const result = coordinate([
      seed('rec-003', {
        action: 'migrate_to_spot',
        risk_level: 'medium',
        estimated_savings: 2000,
        affected_resources: ['i-101', 'i-102', 'i-103'],
        priority: 10,
        confidence: 0.92,
      }),
      seed('rec-004', {
        action: 'scale_down',
        risk_level: 'medium',
        estimated_savings: 1500,
        affected_resources: ['i-102', 'i-103', 'i-104'],
        priority: 8,
        confidence: 0.85,
      }),
    ]);
    expect(result.conflicts).toEqual([
      {
        type: 'resource',
        recommendation_ids: ['rec-003', 'rec-004'],
        description: 'Both recommendations affect resources: [i-102 i-103]',
        severity: 'medium',
        conflicting_field: 'affected_resources',
        resolution: 'Kept recommendation rec-003 (priority: 10, savings: 2000.00), discarded rec-004',
      },
    ]);
    expect(result.kept).toEqual(['rec-003']);
    expect(result.outcomes.get('rec-004')).toMatchObject({ status: 'discarded', by: 'rec-003' });
  });

  it('test 3: scale_up vs scale_down on one cluster is a resource and an action conflict', () => {
    const result = coordinate([
      seed('rec-005', {
        action: 'scale_up',
        risk_level: 'low',
        estimated_savings: 0,
        affected_resources: ['cluster-a'],
        priority: 8,
        confidence: 0.9,
      }),
      seed('rec-006', {
        action: 'scale_down',
        risk_level: 'medium',
        estimated_savings: 1000,
        affected_resources: ['cluster-a'],
        priority: 10,
        confidence: 0.88,
      }),
    ]);
    expect(result.conflicts.map((c) => [c.type, c.description, c.severity])).toEqual([
      ['resource', 'Both recommendations affect resources: [cluster-a]', 'medium'],
      ['action', 'Contradictory actions: scale_up vs scale_down', 'high'],
    ]);
    const kept = 'Kept recommendation rec-006 (priority: 10, savings: 1000.00), discarded rec-005';
    expect(result.conflicts.map((c) => c.resolution)).toEqual([kept, kept]);
    expect(result.kept).toEqual(['rec-006']);
  });
});
