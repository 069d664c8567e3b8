// The largest inputs Arbiter accepts, end to end on the local stack (whose Step Functions and
// DynamoDB enforce AWS's limits): 1,000 resources with 200-character ids and 50 explicit steps, each
// returning a 64 KiB result. It completes: nothing unbounded travels in the workflow's state, and
// the results live in their own items.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CoordinationResponse, ExecutionPlan } from '../../functions/core/model/records.js';
import { MAX_REPORT_BYTES } from '../../functions/core/use-cases/dispatch-step.js';
import { type ArbiterClient, eventually } from '../../local/arbiter-client.js';
import { agentOf, stackForFile } from '../support/local-stack.js';

const stack = stackForFile();
let agent: ArbiterClient;

beforeAll(async () => {
  agent = await agentOf(stack, 'cost-agent-1', 'customer-max');
});

describe('maximal input', () => {
  it('1,000 resources of 200 characters, 50 steps of 64 KiB results: completed, every result kept, locks free again', {
    timeout: 240_000,
  }, async () => {
    const resources = Array.from({ length: 1000 }, (_, i) =>
      `arn:aws:ec2:eu-west-1:123456789012:instance/i-${String(i).padStart(4, '0')}-`.padEnd(200, 'r'),
    );
    const steps = Array.from({ length: 50 }, (_, i) => ({ action: `step_${i}`, critical: true, reversible: true }));
    const recommendation = {
      id: 'rec-max',
      agent_id: 'cost-agent-1',
      agent_type: 'cost',
      customer_id: 'customer-max',
      type: 'cost',
      title: 'The largest plan',
      action: 'rightsize',
      risk_level: 'low',
      affected_resources: resources,
      // Inherited by every explicit step: each simulated agent answers with a result of the largest size.
      parameters: { simulate: { result_bytes: MAX_REPORT_BYTES } },
      steps,
      priority: 1,
      confidence: 0.9,
    };
    const reply = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: 'customer-max',
      recommendations: [recommendation],
      auto_approve: true,
      execute_now: true,
    });
    expect(reply.status).toBe(200);
    const planId = reply.body.execution_plans[0].id;

    const plan = await eventually(
      `plan ${planId} to end`,
      async () => {
        const { status, body } = await agent.call<ExecutionPlan>('GET', `/coordination/plans/${planId}`);
        expect(status).toBe(200);
        return ['pending', 'running'].includes(body.status) ? undefined : body;
      },
      200_000,
    );
    expect(plan.status).toBe('completed');
    expect(plan.steps.map((s) => s.status)).toEqual(Array(50).fill('completed'));
    for (const step of plan.steps)
      expect(
        Buffer.byteLength(JSON.stringify({ result: step.result, rollback_data: step.rollback_data ?? null })),
      ).toBe(MAX_REPORT_BYTES);

    // The plan is recorded completed by the workflow's last task; the execution ends just after it.
    const execution = await eventually(
      'the execution of rec-max to end',
      async () => {
        const found = stack.stepFunctions.executions.list().find((e) => e.name.includes('rec-max'));
        return found && found.status !== 'RUNNING' ? found : undefined;
      },
      30_000,
    );
    expect(execution.status).toBe('SUCCEEDED');

    // The resources are free: a newcomer on them gets its locks and completes.
    const next = {
      ...recommendation,
      id: 'rec-after',
      affected_resources: resources.slice(0, 3),
      steps: undefined,
      parameters: {},
    };
    const second = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: 'customer-max',
      recommendations: [next],
      auto_approve: true,
      execute_now: true,
    });
    const secondPlan = second.body.execution_plans[0].id;
    const done = await eventually(
      `plan ${secondPlan} to end`,
      async () => {
        const { body } = await agent.call<ExecutionPlan>('GET', `/coordination/plans/${secondPlan}`);
        return ['pending', 'running'].includes(body.status) ? undefined : body;
      },
      30_000,
    );
    expect(done.status).toBe('completed');
  });
});
