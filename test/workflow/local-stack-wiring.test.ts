import { describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.js';
import { StepFunctionsWorkflow } from '../../functions/adapters/step-functions.js';
import { ENV_NAMES } from '../../functions/shared/env.js';
import type { OutboxMessage } from '../../local/sns/index.js';
import { stackForFile, startTestStack } from '../support/local-stack.js';
import { describeExecution, fakeHandler, sfnClient, statesEntered, until } from './harness.js';

const env = (name: keyof typeof ENV_NAMES) => process.env[ENV_NAMES[name]] ?? '';

/** What the real "Request approval" does, in short: email the approver a link to the review page. */
const requestApproval = fakeHandler(async (event) => {
  const notifier = new SnsNotifier(env('topicArn'), env('snsEndpoint'));
  await notifier.publish({
    subject: 'Approval needed',
    text: `Review: ${env('publicApiUrl')}/approvals/${event.approval_id}/review`,
    attributes: { approver: 'ana' },
  });
  return {};
});

/** The approved plan then waits to be executed: only that is checked here (execution-*.test.ts run it). */
const awaitExecution = fakeHandler();

const stack = stackForFile(() =>
  startTestStack({
    stepFunctions: {
      handlers: { 'request-approval': requestApproval, 'await-execution': awaitExecution },
      retryIntervalOverrides: 0,
    },
  }),
);

describe('the local stack', () => {
  it('gives the handlers the stand-ins, the gateway URL and a link secret', () => {
    expect(env('stepFunctionsEndpoint')).toBe(stack.stepFunctions.endpoint);
    expect(env('stateMachineArn')).toBe('arn:aws:states:local:000000000000:stateMachine:arbiter-recommendation');
    expect(env('topicArn')).toBe('arn:aws:sns:local:000000000000:arbiter-notifications');
    expect(env('snsEndpoint')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env('publicApiUrl')).toBe(stack.url);
    expect(env('linkSecret').length).toBeGreaterThanOrEqual(32);
  });

  it('runs an approval through adapters configured from that environment alone', async () => {
    const workflow = new StepFunctionsWorkflow(env('stateMachineArn'), env('stepFunctionsEndpoint'));
    await workflow.start('wired', {
      customer_id: 'c-1',
      recommendation_id: 'r-1',
      approval: { required: true, approval_id: 'a-1', timeout_seconds: 60 },
      execute_now: false,
    });
    const { task_token } = await requestApproval.next();

    const outbox = (await (await fetch(`${stack.outboxUrl}?approver=ana`)).json()) as OutboxMessage[];
    expect(outbox.map((m) => m.links)).toEqual([[`${stack.url}/approvals/a-1/review`]]);
    expect(stack.outbox.messages()).toHaveLength(1);

    expect(await workflow.completeTask(task_token, { decision: 'approved' })).toBe('sent');
    expect(await awaitExecution.next()).toEqual({
      customer_id: 'c-1',
      recommendation_id: 'r-1',
      task_token: expect.any(String),
    });
    const client = sfnClient(env('stepFunctionsEndpoint'));
    const states = await until(
      () => statesEntered(client, workflow.executionArn('wired')),
      (s) => s.length === 4,
      'the execution to wait for its request',
    );
    expect(states).toEqual(['Needs approval?', 'Request approval', 'Approved', 'Wait for execution request']);
    expect((await describeExecution(client, workflow.executionArn('wired'))).status).toBe('RUNNING');
  });
});
