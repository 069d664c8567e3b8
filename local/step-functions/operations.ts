// The Step Functions API operations the handlers, tests and console use, with the errors AWS gives.
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../stand-in-server.js';
import type { Execution, ExecutionStatus, Executions } from './executions.js';
import { type Operation, optionalString, requiredString } from './json-protocol.js';

type Request = Record<string, unknown>;

/** Names may not hold whitespace, brackets, wildcards, most punctuation or control characters. */
const FORBIDDEN_IN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
/** Task tokens are at most 1024 characters. */
const MAX_TOKEN_LENGTH = 1024;
const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** One page of a listing; the next token is the offset of the next page. */
function page<T>(items: readonly T[], request: Request): { items: T[]; nextToken?: string } {
  const maxResults = typeof request.maxResults === 'number' && request.maxResults > 0 ? request.maxResults : 100;
  const token = optionalString(request, 'nextToken');
  const offset = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidToken', 'Invalid Token');
  const end = offset + maxResults;
  return { items: items.slice(offset, end), nextToken: end < items.length ? String(end) : undefined };
}

function summary(execution: Execution) {
  const { executionArn, stateMachineArn, name, status, startDate, stopDate } = execution;
  return { executionArn, stateMachineArn, name, status, startDate, stopDate };
}

export function stepFunctionsOperations(
  executions: Executions,
  definition: string,
  createdAt: Date,
): Record<string, Operation> {
  function stateMachine(request: Request): void {
    const arn = requiredString(request, 'stateMachineArn');
    if (arn !== executions.stateMachineArn)
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  function execution(request: Request): Execution {
    const arn = requiredString(request, 'executionArn');
    const found = executions.find(arn);
    if (!found) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return found;
  }

  function taskToken(request: Request): string {
    const token = requiredString(request, 'taskToken');
    if (token.length > MAX_TOKEN_LENGTH) throw new ServiceError('InvalidToken', 'Invalid Token');
    return token;
  }

  function answered(answer: 'sent' | 'task_closed' | 'unknown_token'): object {
    if (answer === 'unknown_token') throw new ServiceError('TaskDoesNotExist', 'Task Does Not Exist');
    if (answer === 'task_closed') throw new ServiceError('TaskTimedOut', 'Task Timed Out');
    return {};
  }

  return {
    StartExecution(request) {
      stateMachine(request);
      const name = optionalString(request, 'name') ?? randomUUID();
      if (name.length > 80 || FORBIDDEN_IN_NAME.test(name))
        throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
      const input = optionalString(request, 'input') ?? '{}';
      if (!isJson(input))
        throw new ServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
      const existing = executions.find(executions.executionArn(name));
      // The same request again while it runs answers as the first did; anything else is a clash.
      if (existing && !(existing.status === 'RUNNING' && existing.input === input)) {
        throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
      }
      const started = existing ?? executions.start(name, input);
      return { executionArn: started.executionArn, startDate: started.startDate };
    },

    DescribeExecution(request) {
      const { history: _history, ...described } = execution(request);
      return described;
    },

    StopExecution(request) {
      const stopped = execution(request);
      executions.stop(stopped, optionalString(request, 'error'), optionalString(request, 'cause'));
      return { stopDate: stopped.stopDate };
    },

    SendTaskSuccess(request) {
      const token = taskToken(request);
      const output = requiredString(request, 'output');
      if (!isJson(output)) throw new ServiceError('InvalidOutput', 'Invalid Output: the output is not JSON');
      return answered(executions.tokens.succeed(token, JSON.parse(output)));
    },

    SendTaskFailure(request) {
      const token = taskToken(request);
      return answered(
        executions.tokens.fail(token, optionalString(request, 'error') ?? '', optionalString(request, 'cause') ?? ''),
      );
    },

    ListExecutions(request) {
      stateMachine(request);
      const status = optionalString(request, 'statusFilter');
      if (status !== undefined && !STATUSES.includes(status as ExecutionStatus)) {
        throw new ServiceError('ValidationException', `statusFilter must be one of ${STATUSES.join(', ')}`);
      }
      const listed = page(
        executions.list().filter((e) => status === undefined || e.status === status),
        request,
      );
      return { executions: listed.items.map(summary), nextToken: listed.nextToken };
    },

    GetExecutionHistory(request) {
      const events = [...execution(request).history];
      if (request.reverseOrder === true) events.reverse();
      const listed = page(events, request);
      return { events: listed.items, nextToken: listed.nextToken };
    },

    DescribeStateMachine(request) {
      stateMachine(request);
      const arn = executions.stateMachineArn;
      return {
        stateMachineArn: arn,
        name: arn.split(':').at(-1),
        status: 'ACTIVE',
        definition,
        type: 'STANDARD',
        roleArn: arn.replace(/:states:.*$/, ':iam::000000000000:role/local'),
        creationDate: createdAt,
      };
    },
  };
}
