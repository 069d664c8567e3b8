// Where the reconciler's repaired executions enter the real ASL (fake task handlers): a plan lost mid-run at its
// rollback, and one lost after its last step had passed at its completion, with nothing rolled back.
import { expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../functions/adapters/step-functions.js';
import type { WorkflowInput } from '../../functions/core/ports/workflow.js';
import { ended, executionFakes, sfnClient, statesEntered, stepFunctionsFor } from './harness.js';

const REPAIRED: WorkflowInput = {
  customer_id: 'customer-1',
  recommendation_id: 'rec-1',
  approval: { required: false, approval_id: null, timeout_seconds: 1 },
  execute_now: true,
};

async function run(name: string, input: WorkflowInput) {
  const fakes = executionFakes();
  const stepFunctions = await stepFunctionsFor({ handlers: fakes });
  const workflow = new StepFunctionsWorkflow(stepFunctions.stateMachineArn, stepFunctions.endpoint);
  const client = sfnClient(stepFunctions.endpoint);
  await workflow.start(name, input);
  const arn = workflow.executionArn(name);
  const execution = await ended(client, arn);
  return { execution, states: await statesEntered(client, arn), fakes };
}

it('a plan lost after its last step passed: locks released and completion recorded, no step run or rolled back', async () => {
  const { execution, states, fakes } = await run('last-step-passed', { ...REPAIRED, last_step_passed: true });
  expect(execution.status).toBe('SUCCEEDED');
  expect(states).toEqual(['Needs approval?', 'Release locks and record completion', 'Completed']);
  expect(fakes['record-outcome'].events).toEqual([
    expect.objectContaining({ recommendation_id: 'rec-1', outcome: 'completed', release_locks: true }),
  ]);
  expect(fakes['record-step'].events).toEqual([]);
  expect(fakes['dispatch-step'].events).toEqual([]);
});

it('a plan lost mid-run: entered at its rollback', async () => {
  const { states, fakes } = await run('interrupted', { ...REPAIRED, interrupted: true });
  expect(states.slice(0, 2)).toEqual(['Needs approval?', 'Roll back completed steps']);
  expect(fakes['record-step'].events[0]).toMatchObject({ event: 'plan_rollback' });
});
