// Asynchronous agents: the agent answers 202 and reports later to the step's callback URL, signed
// with its secret. The step waits for that report; forged or repeated reports change nothing.
import { describe, expect, it } from 'vitest';
import { executionName } from '../../functions/core/ports/workflow.js';
import { signedHeaders } from '../../functions/core/protocol/agent-steps.js';
import type { AgentRequestRecord } from '../../local/agents/index.js';
import { eventually } from '../../local/arbiter-client.js';
import {
  agentCalls,
  type Customer,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  recommendation,
  stepStatuses,
} from '../support/execution.js';

const stack = executionStackForFile();

function callback(stepId: string, report: Record<string, unknown>, secret: string | undefined) {
  const body = JSON.stringify(report);
  const headers = secret ? signedHeaders(secret, body, new Date()) : { 'content-type': 'application/json' };
  return fetch(`${stack.url}/coordination/steps/${stepId}/callback`, { method: 'POST', headers, body });
}

/** The simulated agent's record of the step's request, once it holds `holds`. */
function agentRecord(
  stepId: string,
  holds: (r: AgentRequestRecord) => boolean,
  what: string,
): Promise<AgentRequestRecord> {
  return eventually(what, async () => stack.agents.requests.find((r) => r.step_id === stepId && holds(r)));
}

/** A one-step plan (take_snapshot) whose agent answers 202 and calls back after `delayMs`. */
async function asyncSnapshot(customer: Customer, id: string, delayMs: number) {
  const simulate = { async: true, delay_ms: delayMs };
  const {
    execution_plans: [plan],
  } = await executeNow(customer, [
    {
      id,
      action: 'snapshot_volume',
      affected_resources: [`vol-${id}`],
      steps: [{ action: 'take_snapshot', reversible: true, parameters: { simulate } }],
    },
  ]);
  return plan.steps[0].id;
}

describe('an asynchronous agent', () => {
  it('the step waits for the signed callback and completes with its result; forged callbacks are refused and change nothing; a second one is 409', async () => {
    const customer = await newCustomer(stack, 0);
    const stepId = await asyncSnapshot(customer, 'rec-async', 1_500);
    await agentRecord(stepId, (r) => r.answered === 202, 'the agent to accept the step');

    const forgeries = [
      callback(
        stepId,
        { customer_id: customer.id, status: 'failed', error: 'forged' },
        'not-the-agents-secret-'.repeat(3),
      ),
      callback(stepId, { customer_id: customer.id, status: 'failed', error: 'unsigned' }, undefined),
      callback('plan_nope-s1', { customer_id: customer.id, status: 'completed' }, stack.agents.secret),
    ];
    expect((await Promise.all(forgeries)).map((r) => r.status)).toEqual([401, 401, 401]);
    const waiting = await recommendation(customer, 'rec-async');
    expect(waiting.plan?.steps[0]).toMatchObject({ status: 'running' });
    expect(waiting.plan?.steps[0]).not.toHaveProperty('error');
    const execution = stack.stepFunctions.executions.find(
      stack.stepFunctions.executions.executionArn(executionName(customer.id, 'rec-async')),
    );
    expect(execution?.status).toBe('RUNNING');

    const reported = await agentRecord(stepId, (r) => r.callback !== undefined, "the agent's callback");
    expect(reported.callback).toMatchObject({ status: 200 });
    const { status, plan } = await finished(stack, customer, 'rec-async');
    expect(status).toBe('SUCCEEDED');
    expect(stepStatuses(plan)).toEqual(['take_snapshot: completed']);
    expect(plan.steps[0].result).toEqual(reported.report?.result);
    expect(Date.parse(plan.steps[0].completed_at!) - Date.parse(plan.steps[0].started_at!)).toBeGreaterThanOrEqual(
      1_500,
    );

    const again = await callback(
      stepId,
      { customer_id: customer.id, status: 'failed', error: 'late' },
      stack.agents.secret,
    );
    expect(again.status).toBe(409);
    expect((await recommendation(customer, 'rec-async')).plan?.steps[0]).toMatchObject({
      status: 'completed',
      result: plan.steps[0].result,
    });
  });

  it('a failure reported by callback fails the step like a synchronous one', async () => {
    const customer = await newCustomer(stack, 0);
    const simulate = { async: true, fail_steps: ['migrate_workload'] };
    const {
      execution_plans: [plan],
    } = await executeNow(customer, [
      { id: 'rec-async-fail', action: 'migrate_to_spot', affected_resources: ['i-af'], parameters: { simulate } },
    ]);

    const run = await finished(stack, customer, 'rec-async-fail');
    expect(run.view.status).toBe('rolled_back');
    expect(stepStatuses(run.plan)).toEqual([
      'take_snapshot: rolled_back',
      'migrate_workload: failed',
      'validate_quality: skipped',
    ]);
    expect(agentCalls(stack, plan.id)).toEqual([
      'execute take_snapshot',
      'execute migrate_workload',
      'rollback take_snapshot',
    ]);
    expect(
      stack.agents.requests.filter((r) => r.step_id.startsWith(plan.id)).map((r) => [r.answered, r.callback?.status]),
    ).toEqual([
      [202, 200],
      [202, 200],
      [202, 200],
    ]);
  });

  it('a step whose callback does not come within its timeout fails; the late callback is refused (409)', async () => {
    const customer = await newCustomer(stack, 0);
    const simulate = { async: true, delay_ms: 2_500 };
    const {
      execution_plans: [plan],
    } = await executeNow(customer, [
      {
        id: 'rec-late',
        action: 'snapshot_volume',
        affected_resources: ['vol-late'],
        steps: [{ action: 'take_snapshot', timeout_seconds: 1, parameters: { simulate } }],
      },
    ]);

    const run = await finished(stack, customer, 'rec-late');
    expect(run.view.status).toBe('failed');
    expect(run.plan.steps[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('States.Timeout') });

    const late = await agentRecord(plan.steps[0].id, (r) => r.callback !== undefined, 'the late callback');
    expect(late.callback).toMatchObject({ status: 409 });
    expect((await recommendation(customer, 'rec-late')).plan?.steps[0]).toMatchObject({ status: 'failed' });
  });
});
