// The local Step Functions: the workflow's real ASL run by aws-local-stepfunctions, behind the
// Step Functions API, so the handlers' SFNClient (STEPFUNCTIONS_ENDPOINT) works unchanged.
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { loadHandler } from '../handlers.js';
import { asFunction, logInvocation } from '../local-log.js';
import { buildLambdaContext } from '../proxy-event.js';
import { startStandInServer } from '../stand-in-server.js';
import { recommendationDefinition, STATE_MACHINE_ARN } from './definition.js';
import { type Execution, Executions } from './executions.js';
import { answerJsonRequest } from './json-protocol.js';
import { stepFunctionsOperations } from './operations.js';
import type { StepActions } from './step-names.js';
import type { TaskHandlers } from './task-overrides.js';

export { STATE_MACHINE_ARN } from './definition.js';
export type { Execution, ExecutionStatus } from './executions.js';
export type { TaskHandler, TaskHandlers } from './task-overrides.js';

export interface StepFunctionsLocalOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Fakes for task handlers by name (`request-approval`); the others are functions/<name>/handler.ts. */
  handlers?: TaskHandlers;
  /** Milliseconds between retries instead of the ASL's intervals (0 in tests). */
  retryIntervalOverrides?: number;
  /** Default: statemachines/recommendation.asl.json with its placeholders substituted. */
  definition?: StateMachineDefinition;
  /** No log lines for tasks and failing handlers. */
  quiet?: boolean;
  /** The plan's step actions, to name step tasks in the log ("Run step 2: migrate_workload"). */
  stepActions?: StepActions;
}

export interface StepFunctionsLocal {
  endpoint: string;
  stateMachineArn: string;
  /** The executions, for tests and the console. */
  executions: Executions;
  /** Halts what still runs (no execution-ended: the reconciler repairs at the next start) and stops listening. */
  close(): Promise<void>;
}

export async function startStepFunctionsLocal(options: StepFunctionsLocalOptions = {}): Promise<StepFunctionsLocal> {
  const definition = options.definition ?? recommendationDefinition();
  const executions = new Executions({
    ...options,
    stateMachineArn: STATE_MACHINE_ARN,
    definition,
    onEnded: (execution) => void notifyEnded(execution, options),
  });
  const operations = stepFunctionsOperations(executions, JSON.stringify(definition), new Date());
  const server = await startStandInServer('step-functions', options.port ?? 0, (request) =>
    answerJsonRequest(request, operations),
  );
  return {
    endpoint: server.endpoint,
    stateMachineArn: STATE_MACHINE_ARN,
    executions,
    async close() {
      await executions.halt('the local stack stopped');
      await server.close();
    },
  };
}

/**
 * The EventBridge rule of the AWS stack (lib/workflow.ts): ABORTED, TIMED_OUT and FAILED executions
 * go to functions/execution-ended, with the event's shape, so locks held by a stopped execution are freed.
 */
async function notifyEnded(execution: Execution, options: StepFunctionsLocalOptions): Promise<void> {
  const event = {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      input: execution.input,
    },
  };
  await asFunction('arbiter-execution-ended', async (invocation) => {
    const started = Date.now();
    try {
      const handler = options.handlers?.['execution-ended'] ?? (await loadHandler('execution-ended'));
      await handler(event, buildLambdaContext('arbiter-execution-ended', 60_000));
      if (!options.quiet)
        logInvocation(invocation, `Execution ${execution.name} ${execution.status}`, Date.now() - started);
    } catch (error) {
      if (!options.quiet) console.error('[step-functions] arbiter-execution-ended failed:', error);
    }
  });
}
