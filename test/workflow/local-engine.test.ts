// The local Step Functions itself, on a small ASL: how Task states reach handlers and come back,
// timeouts and task failures as Catch sees them, history, and the API's errors as SDK exceptions.

import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { recommendationDefinition, substitutePlaceholders } from '../../local/step-functions/definition.js';
import { startStepFunctionsLocal, type TaskHandlers } from '../../local/step-functions/index.js';
import { ended, fakeHandler, history, sfnClient, statesEntered, stepFunctionsFor, until } from './harness.js';

const invoke = 'arn:aws:states:::lambda:invoke';

/** Price the order, check each item (a Task inside a Map), then wait for a sign-off. */
const ORDER: StateMachineDefinition = {
  StartAt: 'Price',
  States: {
    Price: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: 'arn:aws:lambda:local:000000000000:function:arbiter-price', 'Payload.$': '$' },
      ResultSelector: { 'total.$': '$.Payload.total', 'status.$': '$.StatusCode' },
      ResultPath: '$.price',
      Next: 'Each item',
    },
    'Each item': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Check item',
        States: {
          'Check item': {
            Type: 'Task',
            Resource: invoke,
            Parameters: { FunctionName: 'check', 'Payload.$': '$' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
      ResultPath: '$.checked',
      Next: 'Sign off',
    },
    'Sign off': {
      Type: 'Task',
      Resource: `${invoke}.waitForTaskToken`,
      Parameters: {
        FunctionName: 'arbiter-sign-off',
        Payload: { 'token.$': '$$.Task.Token', 'execution.$': '$$.Execution.Id' },
      },
      TimeoutSeconds: 1,
      ResultPath: '$.signed',
      Catch: [
        { ErrorEquals: ['Refused'], ResultPath: '$.refusal', Next: 'Refused' },
        { ErrorEquals: ['States.Timeout'], Next: 'Nobody signed' },
      ],
      End: true,
    },
    Refused: { Type: 'Pass', End: true },
    'Nobody signed': { Type: 'Fail', Error: 'SignOffMissing', Cause: 'nobody signed in time' },
  },
};

const ORDER_INPUT = { order: 'o-1', items: ['a', 'b'] };

async function orderWorkflow({ withPrice = true } = {}) {
  const signOff = fakeHandler();
  const handlers: TaskHandlers = { check: fakeHandler((item) => ({ item, ok: true })), 'sign-off': signOff };
  const stepFunctions = await stepFunctionsFor({
    definition: ORDER,
    handlers: withPrice ? { ...handlers, price: fakeHandler(() => ({ total: 42 })) } : handlers,
  });
  const client = sfnClient(stepFunctions.endpoint);
  const start = async (name: string, input: unknown = ORDER_INPUT) => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: stepFunctions.stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return executionArn ?? '';
  };
  return { stepFunctions, client, signOff, start };
}

describe('the local Step Functions engine', () => {
  it('runs lambda:invoke Tasks, inside a Map too, with the Payload as event and the integration result shape', async () => {
    const { client, signOff, start } = await orderWorkflow();
    const arn = await start('order-1');
    const request = await signOff.next();
    expect(request).toEqual({ token: expect.any(String), execution: arn });

    await client.send(new SendTaskSuccessCommand({ taskToken: request.token, output: JSON.stringify({ by: 'ana' }) }));
    const execution = await ended(client, arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      ...ORDER_INPUT,
      price: { total: 42, status: 200 },
      checked: [
        { item: 'a', ok: true },
        { item: 'b', ok: true },
      ],
      signed: { by: 'ana' },
    });
  });

  it('routes a SendTaskFailure by its error name through Catch', async () => {
    const { client, signOff, start } = await orderWorkflow();
    const arn = await start('refused');
    const { token } = await signOff.next();
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Refused', cause: 'over budget' }));

    const execution = await ended(client, arn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '').refusal).toEqual({ Error: 'Refused', Cause: 'over budget' });
  });

  it('raises States.Timeout after TimeoutSeconds for Catch; a Fail state then fails the execution with its Error and Cause', async () => {
    const { client, start } = await orderWorkflow();
    const arn = await start('unsigned');

    const execution = await ended(client, arn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'SignOffMissing', cause: 'nobody signed in time' });
    const timedOut = (await history(client, arn)).find((event) => event.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'States.Timeout',
    });
  });

  it('fails a Task whose function exists nowhere with Lambda.ResourceNotFoundException', async () => {
    const { client, start } = await orderWorkflow({ withPrice: false });
    const execution = await ended(client, await start('no-price-function'));
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
    expect(execution.cause).toContain('arbiter-price');
  });

  it('keeps a history of the states entered and exited, with inputs, outputs and times; pages and reverses it', async () => {
    const { client, signOff, start } = await orderWorkflow();
    const arn = await start('history');
    await signOff.next();

    expect(await statesEntered(client, arn)).toEqual(['Price', 'Each item', 'Check item', 'Check item', 'Sign off']);
    const events = await history(client, arn);
    expect(events[0]).toMatchObject({
      id: 1,
      previousEventId: 0,
      type: 'ExecutionStarted',
      timestamp: expect.any(Date),
    });
    expect(events.find((e) => e.type === 'TaskStateExited')?.stateExitedEventDetails).toEqual({
      name: 'Price',
      output: JSON.stringify({ ...ORDER_INPUT, price: { total: 42, status: 200 } }),
    });
    const firstPage = await client.send(
      new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 2, reverseOrder: true }),
    );
    expect(firstPage.events?.map((e) => e.id)).toEqual([events.length, events.length - 1]);
    const secondPage = await client.send(
      new GetExecutionHistoryCommand({
        executionArn: arn,
        maxResults: 2,
        reverseOrder: true,
        nextToken: firstPage.nextToken,
      }),
    );
    expect(secondPage.events?.map((e) => e.id)).toEqual([events.length - 2, events.length - 3]);
  });

  it('lists executions newest first, by status', async () => {
    const { stepFunctions, client, signOff, start } = await orderWorkflow();
    const stateMachineArn = stepFunctions.stateMachineArn;
    const first = await start('first');
    await signOff.next();
    await client.send(new StopExecutionCommand({ executionArn: first, error: 'Cancelled', cause: 'test' }));
    await start('second');

    const all = await client.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(all.executions?.map((e) => [e.name, e.status])).toEqual([
      ['second', 'RUNNING'],
      ['first', 'ABORTED'],
    ]);
    const aborted = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    expect(aborted.executions?.map((e) => e.name)).toEqual(['first']);
    expect(await client.send(new DescribeExecutionCommand({ executionArn: first }))).toMatchObject({
      status: 'ABORTED',
      error: 'Cancelled',
      cause: 'test',
    });
  });

  it('answers with the exceptions the SDK knows', async () => {
    const { stepFunctions, client, start } = await orderWorkflow();
    const stateMachineArn = stepFunctions.stateMachineArn;
    const unknownArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:nope`;

    await expect(client.send(new DescribeExecutionCommand({ executionArn: unknownArn }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(client.send(new StopExecutionCommand({ executionArn: unknownArn }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}-other` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn, name: 'bad', input: '{' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'has space' }))).rejects.toBeInstanceOf(
      InvalidName,
    );
    await expect(start('x'.repeat(81))).rejects.toBeInstanceOf(InvalidName);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: 't', output: 'not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);

    const unknownOperation = await fetch(stepFunctions.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSStepFunctions.CreateActivity' },
      body: '{}',
    });
    expect(unknownOperation.status).toBe(400);
    expect(unknownOperation.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await unknownOperation.json()).toMatchObject({ __type: 'com.amazonaws.states#UnknownOperationException' });
  });

  it('describes its state machine with the definition it runs', async () => {
    const { stepFunctions, client } = await orderWorkflow();
    const described = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: stepFunctions.stateMachineArn }),
    );
    expect(described).toMatchObject({ name: 'arbiter-recommendation', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition ?? '')).toEqual(ORDER);
  });

  it('aborts what still runs when it closes', async () => {
    const stepFunctions = await startStepFunctionsLocal({
      definition: ORDER,
      quiet: true,
      handlers: { price: fakeHandler(() => new Promise(() => {})) },
    });
    const execution = stepFunctions.executions.start('left-running', JSON.stringify(ORDER_INPUT));
    await stepFunctions.close();
    expect(execution).toMatchObject({ status: 'ABORTED', stopDate: expect.any(Date) });
  });

  it('fires no execution-ended on close (the stack is going down), after letting the handler under way finish; StopExecution still fires it', async () => {
    const endedEvents: unknown[] = [];
    let finishPrice: (value: unknown) => void = () => {};
    let priceDone = false;
    const price = fakeHandler(() =>
      new Promise((resolve) => (finishPrice = resolve)).then(() => ((priceDone = true), { total: 1 })),
    );
    const handlers = { price, 'execution-ended': fakeHandler((event) => endedEvents.push(event)) };
    const stepFunctions = await startStepFunctionsLocal({ definition: ORDER, quiet: true, handlers });
    const stopped = stepFunctions.executions.start('stopped', JSON.stringify(ORDER_INPUT));
    await price.next();
    stepFunctions.executions.stop(stopped, 'States.Aborted', 'StopExecution');
    await until(
      async () => endedEvents.length,
      (n) => n === 1,
      'execution-ended for the stopped execution',
    );
    finishPrice(undefined);

    priceDone = false;
    const running = stepFunctions.executions.start('left-running', JSON.stringify(ORDER_INPUT));
    await price.next();
    let closed = false;
    const closing = stepFunctions.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false); // the price handler is still under way
    finishPrice(undefined);
    await closing;
    expect(priceDone).toBe(true);
    expect(running.status).toBe('ABORTED');
    expect(endedEvents).toHaveLength(1);
  });

  it('refuses a definition with a Task it cannot run locally', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'Notify',
      States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', End: true } },
    };
    await expect(startStepFunctionsLocal({ definition })).rejects.toThrow(
      'no local stand-in for arn:aws:states:::sns:publish',
    );
  });

  it('substitutes every placeholder of the recommendation ASL and refuses unknown ones', () => {
    expect(JSON.stringify(recommendationDefinition())).not.toContain('${');
    expect(JSON.stringify(recommendationDefinition())).toContain(
      'arn:aws:lambda:local:000000000000:function:arbiter-request-approval',
    );
    expect(() => substitutePlaceholders('{"FunctionName": "${Unknown}"}', {})).toThrow('no local value for ${Unknown}');
  });
});
