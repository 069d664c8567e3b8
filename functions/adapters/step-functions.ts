// The workflow on AWS Step Functions. Locally the same client talks to the local engine
// (STEPFUNCTIONS_ENDPOINT), which speaks the same protocol.
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { ExecutionState } from '../core/ports/reconcile.js';
import type { Signal, Workflow, WorkflowInput } from '../core/ports/workflow.js';
import type { WorkflowError } from '../core/ports/workflow-contract.js';
import { localEndpoint } from './local-endpoint.js';

/** Errors that mean the task is no longer waiting: it timed out, was completed or its execution ended. */
function alreadyClosed(error: unknown): boolean {
  return error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken;
}

export class StepFunctionsWorkflow implements Workflow {
  private readonly client: SFNClient;

  constructor(
    private readonly stateMachineArn: string,
    endpoint?: string,
  ) {
    this.client = new SFNClient(localEndpoint(endpoint));
  }

  async start(name: string, input: WorkflowInput): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async completeTask(token: string, output: Record<string, unknown>): Promise<Signal> {
    return this.signal(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })),
    );
  }

  async failTask(token: string, error: WorkflowError, cause: string): Promise<Signal> {
    return this.signal(() => this.client.send(new SendTaskFailureCommand({ taskToken: token, error, cause })));
  }

  async stop(name: string, cause: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn: this.executionArn(name), cause }));
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }

  /** Is the execution of this name running (the reconciler's question)? */
  async state(name: string): Promise<ExecutionState> {
    try {
      const described = await this.client.send(new DescribeExecutionCommand({ executionArn: this.executionArn(name) }));
      return described.status === 'RUNNING' ? 'running' : 'ended';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return 'missing';
      throw error;
    }
  }

  /** For the health check: the state machine exists and is active. */
  async isAvailable(): Promise<boolean> {
    const result = await this.client.send(new DescribeStateMachineCommand({ stateMachineArn: this.stateMachineArn }));
    return result.status === undefined || result.status === 'ACTIVE';
  }

  executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  private async signal(send: () => Promise<unknown>): Promise<Signal> {
    try {
      await send();
      return 'sent';
    } catch (error) {
      if (alreadyClosed(error)) return 'already_closed';
      throw error;
    }
  }
}
