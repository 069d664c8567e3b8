// The engine's event log as GetExecutionHistory events, with the type names and detail fields of
// the Step Functions API, so the SDK parses them and an operator page reads "which state, when".
import type { StateMachine } from 'aws-local-stepfunctions';
import { DATA_LIMIT_EXCEEDED, HISTORY_LIMIT_ERROR, MAX_HISTORY_EVENTS, overPayloadLimit } from './limits.js';

type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  /** `stateEnteredEventDetails`, `taskFailedEventDetails`, ...: one per event, named after its type. */
  [details: string]: unknown;
}

type Details = { type: string; [details: string]: unknown };

const json = (value: unknown) => JSON.stringify(value ?? null);
const text = (value: unknown) => (typeof value === 'string' ? value : json(value));

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` → lambda, invoke.waitForTaskToken (as in TaskFailed details). */
function taskResource(resource: string | undefined) {
  const [, resourceType = 'lambda', name = resource ?? ''] =
    /^arn:aws:states:::([^:]+):(.+)$/.exec(resource ?? '') ?? [];
  return { resourceType, resource: name };
}

/** An event of the given type with its details under the API's name for them (`taskFailedEventDetails`). */
function event(type: string, fields: Record<string, unknown>): Details {
  return { type, [`${type[0].toLowerCase()}${type.slice(1)}EventDetails`]: fields };
}

/** Task events AWS writes between a Task state's entry and its result: scheduled, started (and submitted, when it waits for a token). */
function taskStarted(state: string, resourceOf: (state: string) => string | undefined): Details[] {
  const resource = taskResource(resourceOf(state));
  const started = [event('TaskScheduled', { ...resource, parameters: '{}' }), event('TaskStarted', resource)];
  return resource.resource.endsWith('.waitForTaskToken') ? [...started, event('TaskSubmitted', resource)] : started;
}

/**
 * The events AWS writes for one engine event. A Task state shows its scheduling, start and result
 * as AWS does, so the history counts against the 25,000-event quota as it would there.
 */
function describe(
  logged: EngineEvent,
  resourceOf: (state: string) => string | undefined,
  failed: Set<string>,
): Details[] {
  switch (logged.type) {
    case 'ExecutionStarted':
      return [event(logged.type, { input: json(logged.input) })];
    case 'ExecutionSucceeded':
      return [event(logged.type, { output: json(logged.output) })];
    case 'ExecutionFailed':
      return [event(logged.type, { error: logged.Error, cause: text(logged.Cause) })];
    case 'ExecutionAborted':
      return [event(logged.type, {})];
    case 'ExecutionTimeout':
      return [event('ExecutionTimedOut', {})];
    case 'StateEntered': {
      failed.delete(logged.state.name);
      const entered = {
        type: `${logged.state.type}StateEntered`,
        stateEnteredEventDetails: { name: logged.state.name, input: json(logged.state.input) },
      };
      return logged.state.type === 'Task' ? [entered, ...taskStarted(logged.state.name, resourceOf)] : [entered];
    }
    case 'StateExited': {
      const exited = {
        type: `${logged.state.type}StateExited`,
        stateExitedEventDetails: { name: logged.state.name, output: json(logged.state.output) },
      };
      // A caught failure already wrote TaskFailed: no success before the exit.
      if (logged.state.type !== 'Task' || failed.delete(logged.state.name)) return [exited];
      return [
        event('TaskSucceeded', { ...taskResource(resourceOf(logged.state.name)), output: json(logged.state.output) }),
        exited,
      ];
    }
    case 'StateRetried':
      failed.delete(logged.state.name);
      return logged.state.type === 'Task' ? taskStarted(logged.state.name, resourceOf) : [];
    case 'StateFailed':
      // Other states' failures show on AWS only as the execution's failure.
      if (logged.state.type !== 'Task') return [];
      failed.add(logged.state.name);
      return [
        event(logged.Error === 'States.Timeout' ? 'TaskTimedOut' : 'TaskFailed', {
          ...taskResource(resourceOf(logged.state.name)),
          error: logged.Error,
          cause: text(logged.Cause),
        }),
      ];
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return [event(logged.type, { name: logged.parentState.name, index: logged.index })];
    default:
      // Catches and Parallel branches have no event of their own on AWS.
      return [];
  }
}

/** A state's input or output over the payload quota: what crossed it. */
function payloadOverLimit(logged: EngineEvent): string | undefined {
  if (logged.type === 'StateEntered')
    return overPayloadLimit(logged.state.input, `input of state "${logged.state.name}"`);
  if (logged.type === 'StateExited')
    return overPayloadLimit(logged.state.output, `output of state "${logged.state.name}"`);
  return undefined;
}

export type LimitCrossed = (error: string, cause: string) => void;

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  private readonly failedTasks = new Set<string>();
  private stopped = false;

  constructor(
    private readonly resourceOf: (state: string) => string | undefined,
    /** Called once when the execution crosses a quota: it then fails, and nothing more is recorded. */
    private readonly onLimit: LimitCrossed = () => {},
  ) {}

  async record(log: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const logged of log) {
      if (this.stopped) continue;
      const over = payloadOverLimit(logged);
      if (over) {
        this.fail(DATA_LIMIT_EXCEEDED, over, logged.timestamp);
        continue;
      }
      const described = describe(logged, this.resourceOf, this.failedTasks);
      // The last place is for the execution's failure.
      if (this.events.length + described.length >= MAX_HISTORY_EVENTS) {
        this.fail(
          HISTORY_LIMIT_ERROR,
          `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
          logged.timestamp,
        );
        continue;
      }
      for (const details of described) this.push(details, logged.timestamp);
    }
  }

  private push(details: Details, timestamp: number): void {
    const id = this.events.length + 1;
    this.events.push({ id, previousEventId: id - 1, timestamp: new Date(timestamp), ...details } as HistoryEvent);
  }

  private fail(error: string, cause: string, timestamp: number): void {
    this.stopped = true;
    this.push(event('ExecutionFailed', { error, cause }), timestamp);
    this.onLimit(error, cause);
  }
}
