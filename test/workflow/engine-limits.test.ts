// The local engine fails where AWS fails: 256 KiB (262,144 bytes of UTF-8 JSON) for each state's
// input and output, a task's input after Parameters and its result, raising States.DataLimitExceeded
// that neither Retry nor a States.ALL Catch sees; and 25,000 history events per execution.

import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from '../../local/step-functions/limits.js';
import { ended, fakeHandler, history, sfnClient, stepFunctionsFor } from './harness.js';

const invoke = 'arn:aws:states:::lambda:invoke';
const catchAll = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handle error' }];
const retryAll = [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }];

/** "Make" answers what its handler returns as the whole state output {data}; "Handle error" records that a Catch ran. */
const LIMITS: StateMachineDefinition = {
  StartAt: 'Make',
  States: {
    Make: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: 'arbiter-make', 'Payload.$': '$' },
      // No ResultPath: the result replaces the input.
      ResultSelector: { 'data.$': '$.Payload' },
      Retry: retryAll,
      Catch: catchAll,
      Next: 'Use',
    },
    Use: {
      Type: 'Task',
      Resource: invoke,
      // Twice the state's input: over the quota after Parameters though the state's input fits.
      Parameters: { FunctionName: 'arbiter-use', Payload: { 'a.$': '$.data', 'b.$': '$.data' } },
      ResultPath: null,
      Retry: retryAll,
      Catch: catchAll,
      End: true,
    },
    'Handle error': {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: 'arbiter-handle-error', 'Payload.$': '$' },
      End: true,
    },
  },
};

/** A string whose state output {"data":"<s>"} has `bytes` bytes of UTF-8; 'é' is two bytes, so the limit counts bytes, not characters. */
function dataOf(bytes: number): string {
  const overhead = JSON.stringify({ data: '' }).length;
  return 'é'.repeat(131_000) + 'a'.repeat(bytes - overhead - 262_000);
}

async function run(data: string) {
  const handlers = { make: fakeHandler(() => data), use: fakeHandler(), 'handle-error': fakeHandler() };
  const stepFunctions = await stepFunctionsFor({ definition: LIMITS, handlers });
  const client = sfnClient(stepFunctions.endpoint);
  const started = await client.send(
    new StartExecutionCommand({ stateMachineArn: stepFunctions.stateMachineArn, name: 'limits', input: '{}' }),
  );
  const execution = await ended(client, started.executionArn!);
  return { execution, handlers, events: await history(client, started.executionArn!) };
}

describe('local Step Functions: payload quota', () => {
  it('passes a state output of exactly 262,144 bytes, counted in UTF-8', async () => {
    const data = dataOf(MAX_PAYLOAD_BYTES);
    expect(Buffer.byteLength(JSON.stringify({ data }))).toBe(MAX_PAYLOAD_BYTES);
    const { execution, handlers } = await run(data);
    expect(handlers.make.events).toHaveLength(1);
    // "Use" doubles it after Parameters: that task is refused before its function runs, uncaught, not retried.
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(execution.cause).toContain('input of the task after Parameters');
    expect(handlers.use.events).toHaveLength(0);
    expect(handlers['handle-error'].events).toHaveLength(0);
  });

  it('fails the execution with States.DataLimitExceeded one byte over; neither Retry nor a States.ALL Catch sees it', async () => {
    const data = dataOf(MAX_PAYLOAD_BYTES + 1);
    const { execution, handlers, events } = await run(data);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(execution.cause).toContain('output of state "Make" has a size of 262145 bytes');
    expect(handlers.make.events).toHaveLength(1);
    expect(handlers.use.events).toHaveLength(0);
    expect(handlers['handle-error'].events).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'States.DataLimitExceeded' },
    });
  });

  it('fails on a task result over the quota before ResultSelector shrinks it', async () => {
    const definition = structuredClone(LIMITS);
    (definition.States.Make as { ResultSelector: unknown }).ResultSelector = { 'status.$': '$.StatusCode' };
    const handlers = {
      make: fakeHandler(() => 'x'.repeat(MAX_PAYLOAD_BYTES)),
      use: fakeHandler(),
      'handle-error': fakeHandler(),
    };
    const stepFunctions = await stepFunctionsFor({ definition, handlers });
    const client = sfnClient(stepFunctions.endpoint);
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: stepFunctions.stateMachineArn, input: '{}' }),
    );
    const execution = await ended(client, started.executionArn!);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(execution.cause).toContain('task result');
    expect(handlers.make.events).toHaveLength(1);
    expect(handlers['handle-error'].events).toHaveLength(0);
  });

  it('runs the whole way when every payload fits', async () => {
    const { execution, handlers } = await run('x'.repeat(1000));
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(handlers.use.events).toEqual([{ a: 'x'.repeat(1000), b: 'x'.repeat(1000) }]);
  });
});

describe('local Step Functions: history quota', () => {
  it('fails an execution at its 25,000th history event, as AWS does', async () => {
    const loop: StateMachineDefinition = {
      StartAt: 'Again',
      States: {
        Again: { Type: 'Pass', Next: 'Once more' },
        'Once more': {
          Type: 'Choice',
          Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Stopped' }],
          Default: 'Again',
        },
        Stopped: { Type: 'Succeed' },
      },
    };
    const stepFunctions = await stepFunctionsFor({ definition: loop });
    const client = sfnClient(stepFunctions.endpoint);
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: stepFunctions.stateMachineArn, input: '{}' }),
    );
    const execution = await ended(client, started.executionArn!, 60_000);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    const events = stepFunctions.executions.find(started.executionArn!)!.history;
    expect(events).toHaveLength(MAX_HISTORY_EVENTS);
    expect(events.at(-1)).toMatchObject({ id: MAX_HISTORY_EVENTS, type: 'ExecutionFailed' });
  });

  it('counts a Task state as AWS writes it: entered, scheduled, started, succeeded, exited', async () => {
    const { events } = await run('x');
    const make = events.slice(1, 6).map((event) => event.type);
    expect(make).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
  });
});
