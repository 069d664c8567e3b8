// Running workflows in the local Step Functions for a test: fake task handlers that record what
// they were given, an SDK client on the stand-in, and waiting on an execution by polling it.

import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterEach } from 'vitest';
import { localEndpoint } from '../../functions/adapters/local-endpoint.js';
import {
  type StepFunctionsLocal,
  type StepFunctionsLocalOptions,
  startStepFunctionsLocal,
  type TaskHandler,
} from '../../local/step-functions/index.js';

const running: StepFunctionsLocal[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stepFunctions) => stepFunctions.close()));
});

/** A stand-in for this test (closed after it), retrying without waiting. */
export async function stepFunctionsFor(options: Omit<StepFunctionsLocalOptions, 'port'>): Promise<StepFunctionsLocal> {
  const stepFunctions = await startStepFunctionsLocal({ retryIntervalOverrides: 0, quiet: true, ...options });
  running.push(stepFunctions);
  return stepFunctions;
}

export function sfnClient(endpoint: string): SFNClient {
  return new SFNClient(localEndpoint(endpoint));
}

/** A fake task handler: records each event, answers with `respond`; `next()` waits for the next event. */
export function fakeHandler(
  respond: (event: any, call: number) => unknown = () => ({}),
): TaskHandler & { events: any[]; next(): Promise<any> } {
  const events: any[] = [];
  const waiting: ((event: any) => void)[] = [];
  let consumed = 0;
  const handler = async (event: any) => {
    events.push(event);
    waiting.shift()?.(event);
    return respond(event, events.length);
  };
  return Object.assign(handler, {
    events,
    next: () => {
      const index = consumed++;
      return index < events.length
        ? Promise.resolve(events[index])
        : new Promise<any>((resolve) => waiting.push(resolve));
    },
  });
}

/**
 * Fakes for the tasks after "Approved": dependencies met, locks held, a plan with nothing left to
 * run, the outcome recorded as asked. "Wait for execution request" only records its token.
 */
export function executionFakes() {
  return {
    'await-execution': fakeHandler(),
    'check-dependencies': fakeHandler(() => ({ state: 'ready' })),
    // Acquiring also starts the plan: the cursor says there is nothing left to run.
    'resource-locks': fakeHandler((event) =>
      event.action === 'acquire' ? { index: 0, timeout_seconds: 1, done: true, rollback: false } : { held: 0 },
    ),
    'record-step': fakeHandler(() => ({ index: 0, timeout_seconds: 1, done: true, rollback: false })),
    'dispatch-step': fakeHandler(),
    'record-outcome': fakeHandler((event) => ({ changed: true, outcome: event.outcome })),
  };
}

/** The states from "Wait for dependencies" to the end of a plan that ran to completion. */
export const COMPLETED_PATH = [
  'Wait for dependencies',
  'Dependencies done?',
  'Acquire resource locks',
  'More steps?',
  'Release locks and record completion',
  'Completed',
];

/** Polls until `holds` is true of what `read` gives, or fails after the deadline. */
export async function until<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function describeExecution(client: SFNClient, executionArn: string): Promise<DescribeExecutionOutput> {
  return client.send(new DescribeExecutionCommand({ executionArn }));
}

/** Waits for the execution to end and gives its description. */
export function ended(client: SFNClient, executionArn: string, timeoutMs?: number): Promise<DescribeExecutionOutput> {
  return until(
    () => describeExecution(client, executionArn),
    (e) => e.status !== 'RUNNING',
    `execution ${executionArn}`,
    timeoutMs,
  );
}

export async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

/** The states the execution entered, in order. */
export async function statesEntered(client: SFNClient, executionArn: string): Promise<string[]> {
  return (await history(client, executionArn)).flatMap((event) =>
    event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : [],
  );
}
