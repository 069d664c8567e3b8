// The engine's event log as GetExecutionHistory events, with the type names and detail fields of
// the Step Functions API, so the SDK parses them and an operator page reads "which state, when".
import type { StateMachine } from 'aws-local-stepfunctions';

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
  const [, resourceType = 'lambda', name = resource ?? ''] = /^arn:aws:states:::([^:]+):(.+)$/.exec(resource ?? '') ?? [];
  return { resourceType, resource: name };
}

/** An event of the given type with its details under the API's name for them (`taskFailedEventDetails`). */
function event(type: string, fields: Record<string, unknown>): Details {
  return { type, [`${type[0].toLowerCase()}${type.slice(1)}EventDetails`]: fields };
}

function describe(logged: EngineEvent, resourceOf: (state: string) => string | undefined): Details | undefined {
  switch (logged.type) {
    case 'ExecutionStarted':
      return event(logged.type, { input: json(logged.input) });
    case 'ExecutionSucceeded':
      return event(logged.type, { output: json(logged.output) });
    case 'ExecutionFailed':
      return event(logged.type, { error: logged.Error, cause: text(logged.Cause) });
    case 'ExecutionAborted':
      return event(logged.type, {});
    case 'ExecutionTimeout':
      return event('ExecutionTimedOut', {});
    case 'StateEntered':
      return { type: `${logged.state.type}StateEntered`, stateEnteredEventDetails: { name: logged.state.name, input: json(logged.state.input) } };
    case 'StateExited':
      return { type: `${logged.state.type}StateExited`, stateExitedEventDetails: { name: logged.state.name, output: json(logged.state.output) } };
    case 'StateFailed':
      // Other states' failures show on AWS only as the execution's failure.
      if (logged.state.type !== 'Task') return undefined;
      return event(logged.Error === 'States.Timeout' ? 'TaskTimedOut' : 'TaskFailed', {
        ...taskResource(resourceOf(logged.state.name)),
        error: logged.Error,
        cause: text(logged.Cause),
      });
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return event(logged.type, { name: logged.parentState.name, index: logged.index });
    default:
      // Retries, catches and Parallel branches have no event of their own on AWS.
      return undefined;
  }
}

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];

  constructor(private readonly resourceOf: (state: string) => string | undefined) {}

  async record(log: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const logged of log) {
      const described = describe(logged, this.resourceOf);
      if (!described) continue;
      const id = this.events.length + 1;
      this.events.push({ id, previousEventId: id - 1, timestamp: new Date(logged.timestamp), ...described } as HistoryEvent);
    }
  }
}
