// statemachines/recommendation.asl.json in the local Step Functions, driven through the same
// StepFunctionsWorkflow adapter the handlers use, with fake task handlers.

import { ExecutionAlreadyExists, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../functions/adapters/step-functions.js';
import type { WorkflowInput } from '../../functions/core/ports/workflow.js';
import {
  COMPLETED_PATH,
  describeExecution,
  ended,
  executionFakes,
  fakeHandler,
  sfnClient,
  statesEntered,
  stepFunctionsFor,
  until,
} from './harness.js';

/** By default the approved plan waits for its execution request; `execute_now` runs it at once. */
function input(overrides: Partial<WorkflowInput['approval']> = {}, execute_now = false): WorkflowInput {
  return {
    customer_id: 'customer-1',
    recommendation_id: 'rec-1',
    approval: { required: true, approval_id: 'approval-1', timeout_seconds: 3600, ...overrides },
    execute_now,
  };
}

/** The execution tasks after "Approved" are fakes too (test/workflow/execution-*.test.ts run the real ones). */
async function workflowWith(handlers: Record<string, ReturnType<typeof fakeHandler>> = {}) {
  const fakes = { ...executionFakes(), 'request-approval': fakeHandler(), ...handlers };
  const stepFunctions = await stepFunctionsFor({ handlers: fakes });
  const workflow = new StepFunctionsWorkflow(stepFunctions.stateMachineArn, stepFunctions.endpoint);
  const client = sfnClient(stepFunctions.endpoint);
  return {
    stepFunctions,
    workflow,
    client,
    requestApproval: fakes['request-approval'],
    recordOutcome: fakes['record-outcome'],
    awaitExecution: fakes['await-execution'],
  };
}

/** Starts an execution and waits until "Request approval" holds its token. */
async function awaitingApproval(
  name: string,
  approval: Partial<WorkflowInput['approval']> = {},
  handlers = {},
  executeNow = true,
) {
  const setup = await workflowWith(handlers);
  await setup.workflow.start(name, input(approval, executeNow));
  const request = await setup.requestApproval.next();
  return { ...setup, arn: setup.workflow.executionArn(name), token: request.task_token as string, request };
}

describe('the recommendation workflow, locally', () => {
  it('hands "Request approval" the ids and a task token; once approved, the plan waits at "Wait for execution request" and then runs', async () => {
    const { workflow, client, arn, token, request, awaitExecution } = await awaitingApproval('approve', {}, {}, false);
    expect(request).toEqual({
      customer_id: 'customer-1',
      recommendation_id: 'rec-1',
      approval_id: 'approval-1',
      task_token: expect.any(String),
    });
    expect((await describeExecution(client, arn)).status).toBe('RUNNING');

    expect(await workflow.completeTask(token, { decision: 'approved', by: 'ana' })).toBe('sent');

    const waiting = await awaitExecution.next();
    expect(waiting).toEqual({ customer_id: 'customer-1', recommendation_id: 'rec-1', task_token: expect.any(String) });
    const states = await until(
      () => statesEntered(client, arn),
      (s) => s.length === 4,
      'the execution to wait for its request',
    );
    expect(states).toEqual(['Needs approval?', 'Request approval', 'Approved', 'Wait for execution request']);
    expect((await describeExecution(client, arn)).status).toBe('RUNNING');

    expect(await workflow.completeTask(waiting.task_token, { requested_at: 'now' })).toBe('sent');
    const execution = await ended(client, arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({
      decision: { decision: 'approved', by: 'ana' },
      execution_request: { requested_at: 'now' },
    });
    expect(await statesEntered(client, arn)).toEqual([
      'Needs approval?',
      'Request approval',
      'Approved',
      'Wait for execution request',
      ...COMPLETED_PATH,
    ]);
  });

  it('goes through "Record rejection" when the task fails with Rejected, handing it the error', async () => {
    const { workflow, client, arn, token, recordOutcome } = await awaitingApproval('reject');
    expect(await workflow.failTask(token, 'Rejected', 'too risky')).toBe('sent');

    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
    expect(recordOutcome.events).toEqual([
      {
        customer_id: 'customer-1',
        recommendation_id: 'rec-1',
        approval_id: 'approval-1',
        outcome: 'rejected',
        error: { Error: 'Rejected', Cause: 'too risky' },
      },
    ]);
    expect(await statesEntered(client, arn)).toEqual([
      'Needs approval?',
      'Request approval',
      'Record rejection',
      'Rejected',
    ]);
  });

  it('goes through "Record supersession" when the task fails with Superseded', async () => {
    const { workflow, client, arn, token, recordOutcome } = await awaitingApproval('supersede');
    expect(await workflow.failTask(token, 'Superseded', 'rec-2 replaces it')).toBe('sent');

    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
    expect(recordOutcome.events.map((e) => e.outcome)).toEqual(['superseded']);
    expect((await statesEntered(client, arn)).slice(-3)).toEqual([
      'Record supersession',
      'Withdrawn how?',
      'Superseded',
    ]);
  });

  it('ends at "Cancelled" when the withdrawn approval\'s recommendation was cancelled, not superseded', async () => {
    const { workflow, client, arn, token } = await awaitingApproval(
      'withdrawn',
      {},
      {
        'record-outcome': fakeHandler((event) => ({
          changed: false,
          outcome: event.outcome === 'superseded' ? 'cancelled' : event.outcome,
        })),
      },
    );
    expect(await workflow.failTask(token, 'Superseded', 'cancelled by agent a-1: not needed')).toBe('sent');

    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
    expect((await statesEntered(client, arn)).slice(-3)).toEqual([
      'Record supersession',
      'Withdrawn how?',
      'Cancelled',
    ]);
  });

  it('expires after approval.timeout_seconds (TimeoutSecondsPath) through "Record expiry"; the token closes at once', async () => {
    // An answer while "Record expiry" runs: the execution still runs, the task it answers does not.
    let workflow: StepFunctionsWorkflow | undefined;
    let token = '';
    let lateAnswer: unknown;
    const recordOutcome = fakeHandler(async () => {
      lateAnswer = await workflow?.completeTask(token, { decision: 'approved' });
      return null;
    });
    // The wait times out into "Remind approvers", which finds the approval past its expiry.
    const requestApproval = fakeHandler((event) => {
      if (event.action === 'remind') throw Object.assign(new Error('expired with no decision'), { name: 'Expired' });
      return {};
    });
    const setup = await awaitingApproval(
      'expire',
      { timeout_seconds: 1 },
      { 'record-outcome': recordOutcome, 'request-approval': requestApproval },
    );
    ({ workflow, token } = setup);

    const execution = await ended(setup.client, setup.arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(requestApproval.events.at(-1)).toEqual({
      action: 'remind',
      customer_id: 'customer-1',
      recommendation_id: 'rec-1',
      approval_id: 'approval-1',
    });
    expect(recordOutcome.events).toEqual([
      expect.objectContaining({ outcome: 'expired', error: expect.objectContaining({ Error: 'Expired' }) }),
    ]);
    expect(lateAnswer).toBe('already_closed');
    expect((await statesEntered(setup.client, setup.arn)).slice(-3)).toEqual([
      'Remind approvers',
      'Record expiry',
      'Expired',
    ]);
  });

  it('waits for an approval that expires in 30 days (beyond what one Node timer can hold)', async () => {
    const { workflow, client, arn, token } = await awaitingApproval('month', { timeout_seconds: 30 * 24 * 3600 });
    expect(await workflow.completeTask(token, { decision: 'approved' })).toBe('sent');
    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toEqual([
      'Needs approval?',
      'Request approval',
      'Approved',
      ...COMPLETED_PATH,
    ]);
  });

  it('stop() aborts a waiting execution; its token can no longer be answered', async () => {
    const { workflow, client, arn, token } = await awaitingApproval('stop');
    await workflow.stop('stop', 'recommendation withdrawn');

    const execution = await describeExecution(client, arn);
    expect(execution).toMatchObject({ status: 'ABORTED', cause: 'recommendation withdrawn' });
    expect(execution.stopDate).toBeInstanceOf(Date);
    expect(await workflow.completeTask(token, {})).toBe('already_closed');
    await workflow.stop('stop', 'again'); // an ended execution is left as it is
    await workflow.stop('never-started', 'nothing to stop');
  });

  it('answers already_closed to a second answer on the same token and to an unknown token', async () => {
    const { workflow, client, arn, token } = await awaitingApproval('twice');
    expect(await workflow.completeTask(token, { decision: 'approved' })).toBe('sent');
    expect(await workflow.completeTask(token, { decision: 'approved' })).toBe('already_closed');
    expect(await workflow.failTask(token, 'Rejected', 'late')).toBe('already_closed');
    expect(await workflow.completeTask('no-such-token', {})).toBe('already_closed');
    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
  });

  it('starting the same execution twice is not an error and runs it once; another input under the name is refused', async () => {
    const { stepFunctions, workflow, client, requestApproval } = await workflowWith();
    await workflow.start('same', input());
    await workflow.start('same', input());
    await requestApproval.next();

    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn: stepFunctions.stateMachineArn }));
    expect(listed.executions?.map((e) => e.name)).toEqual(['same']);
    expect(requestApproval.events).toHaveLength(1);
    const otherInput = new StartExecutionCommand({
      stateMachineArn: stepFunctions.stateMachineArn,
      name: 'same',
      input: JSON.stringify(input({ timeout_seconds: 5 })),
    });
    await expect(client.send(otherInput)).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await workflow.start('same', input({ timeout_seconds: 5 })); // the adapter treats that as already started
  });

  it('skips the approval when none is required', async () => {
    const { workflow, client, requestApproval } = await workflowWith();
    await workflow.start('auto', {
      ...input({}, true),
      approval: { required: false, approval_id: null, timeout_seconds: 0 },
    });

    expect((await ended(client, workflow.executionArn('auto'))).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, workflow.executionArn('auto'))).toEqual(['Needs approval?', ...COMPLETED_PATH]);
    expect(requestApproval.events).toEqual([]);
  });

  it('without execute_now, an approved plan that needs no approval waits for its execution request', async () => {
    const { workflow, client, awaitExecution } = await workflowWith();
    const arn = workflow.executionArn('later');
    await workflow.start('later', { ...input(), approval: { required: false, approval_id: null, timeout_seconds: 0 } });

    await awaitExecution.next();
    const states = await until(
      () => statesEntered(client, arn),
      (s) => s.length === 2,
      'the execution to wait for its request',
    );
    expect(states).toEqual(['Needs approval?', 'Wait for execution request']);
    expect((await describeExecution(client, arn)).status).toBe('RUNNING');
  });

  it('a handler may answer its own token before it returns (a decision already known)', async () => {
    let workflow: StepFunctionsWorkflow | undefined;
    const requestApproval = fakeHandler((event) => workflow?.completeTask(event.task_token, { decision: 'approved' }));
    const setup = await workflowWith({ 'request-approval': requestApproval });
    ({ workflow } = setup);
    await workflow.start('self-answered', input({}, true));
    const client = setup.client;

    expect((await ended(client, workflow.executionArn('self-answered'))).status).toBe('SUCCEEDED');
  });

  it('retries "Request approval" on TransientError, each attempt with a fresh token', async () => {
    const flaky = fakeHandler((_event, call) => {
      if (call === 1) throw Object.assign(new Error('throttled'), { name: 'TransientError' });
      return {};
    });
    const { workflow, client, arn } = await awaitingApproval('flaky', {}, { 'request-approval': flaky });
    const retried = await flaky.next();

    expect(retried.task_token).not.toBe(flaky.events[0].task_token);
    expect(await workflow.completeTask(flaky.events[0].task_token, {})).toBe('already_closed');
    expect(await workflow.completeTask(retried.task_token, {})).toBe('sent');
    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
  });

  it('records an approval that could not be requested, with the error as Lambda names it, and fails the execution', async () => {
    const broken = fakeHandler(() => {
      throw new TypeError('approval-1 has no approvers');
    });
    const recordOutcome = fakeHandler(() => null);
    const { workflow, client } = await workflowWith({ 'request-approval': broken, 'record-outcome': recordOutcome });
    await workflow.start('broken', input({}, true));

    const execution = await ended(client, workflow.executionArn('broken'));
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ApprovalRequestFailed' });
    expect(recordOutcome.events).toEqual([
      expect.objectContaining({ outcome: 'approval_failed', error: expect.objectContaining({ Error: 'TypeError' }) }),
    ]);
    expect(JSON.parse(recordOutcome.events[0].error.Cause)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'approval-1 has no approvers',
    });
  });

  it('retries "Record rejection" when recording fails (States.TaskFailed)', async () => {
    const recordOutcome = fakeHandler((_event, call) => {
      if (call < 3) throw new Error('table busy');
      return null;
    });
    const { workflow, client, arn, token } = await awaitingApproval(
      'record-retried',
      {},
      { 'record-outcome': recordOutcome },
    );
    await workflow.failTask(token, 'Rejected', 'no');

    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
    expect(recordOutcome.events).toHaveLength(3);
  });
});
