// Seed 001 STEP 7 over HTTP on the local stack: rec-008 (low risk) coordinated with auto_approve
// and execute_now gets its three-step plan in the answer, runs on the simulated agents, and
// GET /coordination/plans/{id} shows each step's result and duration.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CoordinationResponse, ExecutionPlan } from '../../functions/core/model/records.js';
import { type ArbiterClient, arbiterClient, eventually } from '../../local/arbiter-client.js';
import { agentOf, stackForFile } from '../support/local-stack.js';

const stack = stackForFile();
let agent: ArbiterClient;

beforeAll(async () => {
  agent = await agentOf(stack, 'cost-agent-1', 'customer-1');
});

const REC_008 = {
  id: 'rec-008',
  agent_id: 'cost-agent-1',
  agent_type: 'cost',
  customer_id: 'customer-1',
  type: 'cost',
  title: 'Migrate to Spot',
  action: 'migrate_to_spot',
  risk_level: 'low',
  estimated_savings: 3000.0,
  affected_resources: ['i-201', 'i-202'],
  priority: 10,
  confidence: 0.95,
};

describe('seed 001 STEP 7: execution', () => {
  it('Test 1 and 2: the plan is created pending, runs its three steps, and GET shows results and durations', async () => {
    const reply = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: 'customer-1',
      recommendations: [REC_008],
      auto_approve: true,
      execute_now: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.execution_plans).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^plan/),
        recommendation_id: 'rec-008',
        status: 'pending',
        steps: [
          expect.objectContaining({ action: 'take_snapshot', critical: true, reversible: true, status: 'pending' }),
          expect.objectContaining({ action: 'migrate_workload', critical: true, reversible: true, status: 'pending' }),
          expect.objectContaining({ action: 'validate_quality', critical: true, reversible: false, status: 'pending' }),
        ],
      }),
    ]);
    const planId = reply.body.execution_plans[0].id;

    const plan = await eventually(`plan ${planId} to complete`, async () => {
      const { status, body } = await agent.call<ExecutionPlan>('GET', `/coordination/plans/${planId}`);
      expect(status).toBe(200);
      expect(body.status).not.toMatch(/failed|rolled_back|cancelled/);
      return body.status === 'completed' ? body : undefined;
    });
    expect(plan).toMatchObject({
      id: planId,
      recommendation_id: 'rec-008',
      customer_id: 'customer-1',
      status: 'completed',
      total_duration_ms: expect.any(Number),
    });
    expect(plan.steps).toEqual([
      expect.objectContaining({
        action: 'take_snapshot',
        status: 'completed',
        result: { snapshot_id: expect.stringMatching(/^snap-[0-9a-f]{8}$/), size_gb: 100 },
        duration_ms: expect.any(Number),
      }),
      expect.objectContaining({
        action: 'migrate_workload',
        status: 'completed',
        result: { migrated_instances: 3, status: 'completed' },
        duration_ms: expect.any(Number),
      }),
      expect.objectContaining({
        action: 'validate_quality',
        status: 'completed',
        result: { quality_score: 0.95, passed: true },
        duration_ms: expect.any(Number),
      }),
    ]);
    const stepsTook = plan.steps.reduce((sum, s) => sum + s.duration_ms, 0);
    expect(plan.total_duration_ms).toBeGreaterThanOrEqual(stepsTook);

    const rec = await agent.call<{ status: string }>('GET', '/coordination/recommendations/rec-008');
    expect(rec.body.status).toBe('completed');
  });

  it('Test 3: a simulated failure of migrate_workload rolls back the snapshot; the operators are alerted', async () => {
    const failing = {
      ...REC_008,
      id: 'rec-009',
      affected_resources: ['i-301'],
      parameters: { simulate: { fail_steps: ['migrate_workload'] } },
    };
    const reply = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: 'customer-1',
      recommendations: [failing],
      auto_approve: true,
      execute_now: true,
    });
    const planId = reply.body.execution_plans[0].id;

    const plan = await eventually(`plan ${planId} to end`, async () => {
      const { body } = await agent.call<ExecutionPlan>('GET', `/coordination/plans/${planId}`);
      return ['pending', 'running'].includes(body.status) ? undefined : body;
    });
    expect(plan.status).toBe('rolled_back');
    expect(plan.steps.map((s) => s.status)).toEqual(['rolled_back', 'failed', 'skipped']);
    const alert = await eventually('the operator alert in the outbox', async () => {
      const outbox = await arbiterClient(stack.url).call<{ subject: string; attributes: Record<string, string> }[]>(
        'GET',
        '/local/outbox',
      );
      return outbox.body.find(
        (m) => m.attributes.kind === 'operator_alert' && m.attributes.recommendation_id === 'rec-009',
      );
    });
    expect(alert.attributes).toMatchObject({ outcome: 'rolled_back', customer_id: 'customer-1' });
  });
});
