// The workflow as the local engine runs it: the ASL of statemachines/ with its ${Placeholders}
// replaced by local function ARNs (the substitution the CDK makes on AWS), and the Task states
// in it, nested ones included, since each needs a local stand-in for its Resource.
import { readFileSync } from 'node:fs';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { TASK_HANDLERS } from '../../functions/shared/routes.js';

const ACCOUNT = '000000000000';
const FUNCTION_PREFIX = 'arbiter-';

export const STATE_MACHINE_ARN = `arn:aws:states:local:${ACCOUNT}:stateMachine:arbiter-recommendation`;

export function functionArn(handler: string): string {
  return `arn:aws:lambda:local:${ACCOUNT}:function:${FUNCTION_PREFIX}${handler}`;
}

/** The handler folder a FunctionName names, whether given as a name, a partial or a full ARN. */
export function handlerOf(functionName: string): string {
  const name = functionName.split(':function:').at(-1)?.split(':')[0] ?? functionName;
  return name.startsWith(FUNCTION_PREFIX) ? name.slice(FUNCTION_PREFIX.length) : name;
}

export function substitutePlaceholders(asl: string, values: Record<string, string>): string {
  const substituted = asl.replace(/\$\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
  const left = [...new Set(substituted.match(/\$\{\w+\}/g))];
  if (left.length > 0)
    throw new Error(`no local value for ${left.join(', ')} (see TASK_HANDLERS in functions/shared/routes.ts)`);
  return substituted;
}

export function recommendationDefinition(): StateMachineDefinition {
  const asl = readFileSync(new URL('../../statemachines/recommendation.asl.json', import.meta.url), 'utf8');
  const values = Object.fromEntries(
    Object.entries(TASK_HANDLERS).map(([handler, placeholder]) => [placeholder, functionArn(handler)]),
  );
  return JSON.parse(substitutePlaceholders(asl, values)) as StateMachineDefinition;
}

export interface TaskState {
  Type: 'Task';
  Resource: string;
  Parameters?: unknown;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
}

interface StatesContainer {
  States: Record<string, StateDefinition>;
}
type StateDefinition = { Type: string } & Record<string, unknown>;

/** Every state by name, including those inside Map iterators and Parallel branches. */
export function allStates(definition: StateMachineDefinition): Map<string, StateDefinition> {
  const states = new Map<string, StateDefinition>();
  const visit = (machine: StatesContainer) => {
    for (const [name, state] of Object.entries(machine.States)) {
      // State names are unique in a whole state machine, so overrides can be keyed by name.
      if (states.has(name)) throw new Error(`two states are named "${name}"`);
      states.set(name, state);
      const nested = [state.Iterator, state.ItemProcessor, ...((state.Branches as unknown[] | undefined) ?? [])];
      for (const machine of nested) if (machine) visit(machine as StatesContainer);
    }
  };
  visit(definition as unknown as StatesContainer);
  return states;
}

export function taskStates(definition: StateMachineDefinition): Map<string, TaskState> {
  const tasks = [...allStates(definition)].filter(([, state]) => state.Type === 'Task');
  return new Map(tasks as unknown as [string, TaskState][]);
}

/** Where a relocated TimeoutSecondsPath value travels in the task's input (removed before the handler sees it). */
export const TIMEOUT_FIELD = 'arbiterLocalTimeoutSeconds';

/** Node runs a timer of more than 2^31-1 ms (~24.8 days) after 1 ms: longer task timeouts are cut to this locally. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * AWS reads TimeoutSecondsPath from the state's input; the engine reads it from the input after
 * Parameters, where it usually is not. So the engine gets a copy whose Parameters carry the value
 * under TIMEOUT_FIELD and whose TimeoutSecondsPath points there: the engine's own timer then raises
 * the real States.Timeout.
 */
export function forEngine(definition: StateMachineDefinition): StateMachineDefinition {
  const copy = structuredClone(definition);
  for (const [name, task] of taskStates(copy)) {
    if (task.TimeoutSeconds) task.TimeoutSeconds = Math.min(task.TimeoutSeconds, MAX_TIMEOUT_SECONDS);
    if (task.TimeoutSecondsPath === undefined) continue;
    const parameters = task.Parameters;
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
      throw new Error(`Task "${name}": TimeoutSecondsPath is only supported locally with object Parameters`);
    }
    task.Parameters = { ...parameters, [`${TIMEOUT_FIELD}.$`]: task.TimeoutSecondsPath };
    task.TimeoutSecondsPath = `$.${TIMEOUT_FIELD}`;
  }
  return copy;
}
