// What each Task state does locally: its Lambda runs in-process (functions/<name>/handler.ts, or a
// test's fake) with the Payload as its event, and its answer or error reaches the ASL in the shape
// the lambda:invoke integration gives on AWS, so Retry, Catch and ResultSelector behave the same.
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { TASK_TIMEOUT_SECONDS } from '../../functions/shared/task-handlers.js';
import { type Handler, HandlerNotFound, loadHandler, NoHandlerExport } from '../handlers.js';
import { asFunction, logInvocation } from '../local-log.js';
import { profileInvocation } from '../profiling.js';
import { buildLambdaContext } from '../proxy-event.js';
import {
  functionArn,
  handlerOf,
  MAX_TIMEOUT_SECONDS,
  type TaskState,
  TIMEOUT_FIELD,
  taskStates,
} from './definition.js';
import { checkPayload } from './limits.js';
import { type StepActions, stepStateName } from './step-names.js';
import { type TaskTokens, taskError } from './task-tokens.js';

/** Each task handler takes its own event type; the ASL decides what it receives. */
export type TaskHandler = Handler;
export type TaskHandlers = Readonly<Record<string, TaskHandler>>;
type TaskInput = Record<string, unknown>;
type Override = (input: TaskInput) => Promise<unknown>;

export interface OverrideOptions {
  tokens: TaskTokens;
  /** Replace handlers by name (`request-approval`); the others are imported from functions/. */
  handlers?: TaskHandlers;
  quiet?: boolean;
  /** Awaited before a handler runs: lets the execution's history catch up, and refuses when the execution already ended. */
  beforeInvoke?: () => Promise<void>;
  /** Sees every handler run, so shutting down can let the ones under way settle first. */
  track?: <T>(run: Promise<T>) => Promise<T>;
  /** Names a step task's line in the log after the plan's step ("Run step 2: migrate_workload"). */
  stepActions?: StepActions;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** The engine's limit for a Task without TimeoutSeconds(Path); AWS has none. */
const ENGINE_DEFAULT_TIMEOUT_SECONDS = 60;
/** The budget a handler's context reports: the one the CDK sets on every task function. */
const LAMBDA_TIMEOUT_MS = TASK_TIMEOUT_SECONDS * 1000;

export function taskOverrides(definition: StateMachineDefinition, options: OverrideOptions): Record<string, Override> {
  return Object.fromEntries(
    [...taskStates(definition)].map(([name, state]) => {
      const override = overrideFor(name, state, options);
      return [name, (input: TaskInput) => override(withTimerSafeTimeout(input))];
    }),
  );
}

/** Cuts a relocated TimeoutSecondsPath value to what a timer can hold. In place: the engine reads it from this very object right after calling the override. */
function withTimerSafeTimeout(input: TaskInput): TaskInput {
  if (typeof input[TIMEOUT_FIELD] === 'number')
    input[TIMEOUT_FIELD] = Math.min(input[TIMEOUT_FIELD], MAX_TIMEOUT_SECONDS);
  return input;
}

function overrideFor(name: string, state: TaskState, options: OverrideOptions): Override {
  if (state.Resource === LAMBDA_INVOKE) {
    return async (input) => ({
      ExecutedVersion: '$LATEST',
      Payload: await invoke(name, input, options),
      StatusCode: 200,
    });
  }
  if (state.Resource === LAMBDA_INVOKE_WAIT) return (input) => waitForTaskToken(name, state, input, options);
  // Without a stand-in the engine would call the real AWS service.
  throw new Error(`Task "${name}": no local stand-in for ${state.Resource}`);
}

/**
 * Fires the function, then waits for SendTaskSuccess/SendTaskFailure on the token it was given.
 * Must stay synchronous until its timer is armed (see below).
 */
function waitForTaskToken(
  name: string,
  state: TaskState,
  input: TaskInput,
  options: OverrideOptions,
): Promise<unknown> {
  const { tokens } = options;
  const waitingOn = tokens.findIn(input.Payload);
  if (waitingOn.length === 0 && !options.quiet)
    console.warn('[step-functions] a .waitForTaskToken task got no $$.Task.Token: it can only time out');
  const answered = tokens.wait(waitingOn);
  // Closes the tokens when the engine's timer raises States.Timeout. The engine arms its own timer
  // just after calling this override, with the same delay, so this one fires first in the same
  // timers phase: no SendTaskSuccess can slip in between and be lost.
  const timer = setTimeout(() => tokens.close(waitingOn), timeoutSeconds(state, input) * 1000);
  timer.unref();
  const invoked = invoke(name, input, options).catch((error: unknown) => {
    tokens.close(waitingOn);
    throw error;
  });
  // The handler may itself answer the token before it returns; a failing handler fails the task.
  const result = Promise.race([answered, invoked.then(() => answered)]).finally(() => clearTimeout(timer));
  return result.then((output) => {
    checkPayload(output, 'task result');
    return output;
  });
}

/** As the engine computes it (TimeoutSecondsPath relocated into the input by forEngine). */
function timeoutSeconds(state: TaskState, input: TaskInput): number {
  if (state.TimeoutSeconds) return state.TimeoutSeconds;
  if (state.TimeoutSecondsPath) return Number(input[TIMEOUT_FIELD]);
  return ENGINE_DEFAULT_TIMEOUT_SECONDS;
}

/** The task's Lambda, as one invocation with its line in the local log (local-log.ts). */
function invoke(state: string, input: TaskInput, options: OverrideOptions): Promise<unknown> {
  const name = handlerOf(String(input.FunctionName));
  return asFunction(name, async (invocation) => {
    const started = Date.now();
    let outcome: string | undefined;
    try {
      return await runHandler(name, input, options);
    } catch (error) {
      outcome = `failed: ${error instanceof Error ? error.name : String(error)}`;
      throw error;
    } finally {
      if (!options.quiet)
        logInvocation(invocation, await taskLabel(state, input, options), Date.now() - started, outcome);
    }
  });
}

async function runHandler(name: string, input: TaskInput, options: OverrideOptions): Promise<unknown> {
  await options.beforeInvoke?.();
  // AWS measures the task's input after Parameters, before it schedules the task.
  checkPayload(input, 'input of the task after Parameters');
  const handler = options.handlers?.[name] ?? (await importHandler(name));
  const profile = profileInvocation(`task ${name}`);
  let result: unknown;
  try {
    // Lambda returns JSON: what does not survive serialization does not reach the state machine.
    const call = async () => handler(input.Payload ?? {}, buildLambdaContext(`arbiter-${name}`, LAMBDA_TIMEOUT_MS));
    const run = profile ? profile.handle(call) : call();
    result = JSON.parse(JSON.stringify((await (options.track?.(run) ?? run)) ?? null)) as unknown;
  } catch (error) {
    if (!options.quiet) console.error(`[step-functions] arbiter-${name} failed:`, error);
    throw functionError(error);
  } finally {
    profile?.finish();
  }
  checkPayload(result, 'task result');
  return result;
}

/** The state's name, and for a step task the step it ran ("Run step 2: migrate_workload"). */
async function taskLabel(state: string, input: TaskInput, options: OverrideOptions): Promise<string> {
  const payload = (input.Payload ?? {}) as { customer_id?: unknown; recommendation_id?: unknown; step_index?: unknown };
  const index = payload.step_index;
  if (typeof index !== 'number') return state;
  const { customer_id: customer, recommendation_id: id } = payload;
  const actions =
    typeof customer === 'string' && typeof id === 'string'
      ? await options.stepActions?.(customer, id).catch(() => undefined)
      : undefined;
  return stepStateName(state, index, actions?.[index]);
}

/** functions/<name>/handler.ts, or the error Lambda reports when it cannot run it. */
export async function importHandler(name: string): Promise<TaskHandler> {
  try {
    return await loadHandler<TaskHandler>(name);
  } catch (error) {
    if (error instanceof HandlerNotFound)
      throw taskError('Lambda.ResourceNotFoundException', `Function not found: ${functionArn(name)}`);
    if (error instanceof NoHandlerExport)
      throw taskError('Runtime.HandlerNotFound', `functions/${name}/handler.ts exports no handler`);
    throw error;
  }
}

/** A function error as lambda:invoke reports it: Error is the errorType, Cause the runtime's JSON. */
function functionError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error ? (error.stack?.split('\n') ?? []) : [];
  return taskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}
