// A step result over 64 KiB is refused with 413 at the callback, before anything is accepted: the
// step keeps waiting, and a proper report still completes it (issue 8 §5).
import { expect, it } from 'vitest';
import { callbackUrl, signedHeaders } from '../../functions/core/protocol/agent-steps.js';
import { MAX_REPORT_BYTES } from '../../functions/core/use-cases/dispatch-step.js';
import { eventually } from '../../local/arbiter-client.js';
import {
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  recommendation,
  stepStatuses,
} from '../support/execution.js';
import { dynamoStores } from '../support/stores.js';

const stack = executionStackForFile();

function callback(stepId: string, dispatch: string | null, report: Record<string, unknown>) {
  const body = JSON.stringify(report);
  return fetch(`${stack.url}/coordination/steps/${stepId}/callback${dispatch ? `?dispatch=${dispatch}` : ''}`, {
    method: 'POST',
    headers: signedHeaders(stack.agents.secret, body, new Date()),
    body,
  });
}

it('413 for a 100 KB result, the step still waiting; then the real report completes it', async () => {
  const customer = await newCustomer(stack, 0);
  // The simulated agent accepts (202) and would call back only after the test is over.
  const simulate = { async: true, delay_ms: 30_000 };
  const {
    execution_plans: [plan],
  } = await executeNow(customer, [
    {
      id: 'rec-big',
      action: 'snapshot_volume',
      affected_resources: ['vol-big'],
      steps: [{ action: 'take_snapshot', parameters: { simulate } }],
    },
  ]);
  const stepId = plan.steps[0].id;
  await eventually('the agent to accept the step', async () =>
    stack.agents.requests.find((r) => r.step_id === stepId && r.answered === 202),
  );
  // The callback URL the agent was given, rebuilt from the task token the plan holds.
  const stored = await dynamoStores(stack.dynamoEndpoint, stack.tableName).plans.getPlan(customer.id, plan.id);
  const dispatch = new URL(callbackUrl(stack.url, stepId, stored!.steps[0].task_token!)).searchParams.get('dispatch');

  const huge = await callback(stepId, dispatch, {
    customer_id: customer.id,
    status: 'completed',
    result: { blob: 'x'.repeat(100 * 1024) },
  });
  expect(huge.status).toBe(413);
  expect(((await huge.json()) as { error: string }).error).toContain(`at most ${MAX_REPORT_BYTES}`);
  expect((await recommendation(customer, 'rec-big')).plan?.steps[0]).toMatchObject({ status: 'running' });

  const proper = await callback(stepId, dispatch, {
    customer_id: customer.id,
    status: 'completed',
    result: { snapshot_id: 'snap-1' },
  });
  expect(proper.status).toBe(200);
  const { plan: done } = await finished(stack, customer, 'rec-big');
  expect(stepStatuses(done)).toEqual(['take_snapshot: completed']);
  expect(done.steps[0].result).toEqual({ snapshot_id: 'snap-1' });
});
