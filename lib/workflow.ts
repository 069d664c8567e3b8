// The recommendation workflow: statemachines/recommendation.asl.json as a Standard state machine
// (one execution per recommendation, named after it). The ASL stays the single source, shared with
// the local engine; CDK only substitutes the task Lambdas' ARNs for its ${Placeholders}.
import { readFileSync } from 'node:fs';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as InvokeLambda } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../functions/shared/env.js';
import { TASK_HANDLERS, type TaskHandlerName } from '../functions/shared/routes.js';
import { PROJECT_ROOT, TASK_NAMES } from './function-defaults.js';

export const ASL_PATH = `${PROJECT_ROOT}statemachines/recommendation.asl.json`;

/** `${Name}` placeholders of an ASL text, each once. */
export function placeholdersIn(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1]))];
}

/**
 * What a function may do with the workflow's executions. Step Functions authorizes the task-token
 * calls against the state machine that issued the token (its AccessDenied names `...:stateMachine:<name>`),
 * so `signal` is scoped to this state machine even though the IAM reference lists no resource type.
 */
export const WORKFLOW_ACCESS = {
  start: { actions: ['states:StartExecution'], on: 'stateMachine' },
  signal: { actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], on: 'stateMachine' },
  stop: { actions: ['states:StopExecution'], on: 'executions' },
  describe: { actions: ['states:DescribeExecution'], on: 'executions' },
  /** The health check: is the state machine there and active. */
  probe: { actions: ['states:DescribeStateMachine'], on: 'stateMachine' },
} as const satisfies Record<string, { actions: readonly string[]; on: 'stateMachine' | 'executions' }>;
export type WorkflowAccess = keyof typeof WORKFLOW_ACCESS;

export interface RecommendationWorkflowProps {
  /** The Lambdas the ASL invokes, by the name TASK_HANDLERS gives their placeholder. */
  tasks: Record<TaskHandlerName, IFunction>;
}

export class RecommendationWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  /**
   * Named after the stack (readable in the console, unique per account and region), so that its ARN
   * is known without a reference to the resource. Task functions the state machine invokes also signal
   * it (request-approval, await-execution, dispatch-step): a reference would be a cycle (state machine →
   * task function → its policy → state machine).
   */
  readonly stateMachineName: string;
  /** Built from the name: use this, not `stateMachine.stateMachineArn` (a reference). */
  readonly stateMachineArn: string;
  /** `arn:...:execution:<state machine name>:*`: executions are named per recommendation at run time. */
  readonly executionsArn: string;

  constructor(scope: Construct, id: string, props: RecommendationWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.stateMachineName = `${stack.stackName}-Recommendation`;
    const arnOf = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.stateMachineArn = arnOf('stateMachine', this.stateMachineName);
    this.executionsArn = arnOf('execution', `${this.stateMachineName}:*`);
    const asl = readFileSync(ASL_PATH, 'utf8');
    // Under /aws/vendedlogs/: Step Functions' log delivery writes there without growing the log
    // groups' resource policy past its 5,120-character limit as state machines are added.
    const logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: RetentionDays.ONE_MONTH,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      // Inline (not an S3 asset), so the synthesized template shows and tests the definition.
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: this.substitutions(asl, props.tasks),
      // Every state transition, without inputs and outputs: those carry task tokens (whoever holds
      // one can decide the approval) and customer data. The execution history keeps the data for
      // people allowed states:GetExecutionHistory.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // The ASL names each task by its unqualified ARN: no versions or aliases, so no `:*` either.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: TASK_NAMES.map((name) => props.tasks[name].functionArn),
      }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the two statements CDK adds for logging and tracing: CloudWatch Logs log delivery ' +
        '(logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, ' +
        'PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray (PutTraceSegments, ' +
        'PutTelemetryRecords, GetSamplingRules, GetSamplingTargets). None of these actions supports ' +
        'resource-level permissions; Step Functions documents Resource "*" for both.',
    });
  }

  /** Each placeholder → its task's ARN. A placeholder without a task fails the synth, not the deploy. */
  private substitutions(asl: string, tasks: Record<TaskHandlerName, IFunction>): Record<string, string> {
    const byPlaceholder = new Map<string, IFunction>(TASK_NAMES.map((name) => [TASK_HANDLERS[name], tasks[name]]));
    const unknown = placeholdersIn(asl).filter((placeholder) => !byPlaceholder.has(placeholder));
    if (unknown.length > 0) {
      throw new Error(
        `${ASL_PATH} uses placeholders no task handler provides: ${unknown.join(', ')} (see TASK_HANDLERS)`,
      );
    }
    return Object.fromEntries([...byPlaceholder].map(([placeholder, fn]) => [placeholder, fn.functionArn]));
  }

  /**
   * ABORTED, TIMED_OUT and FAILED executions of this state machine go to `handler` (an EventBridge
   * rule on Step Functions' status-change events), so a stopped execution cannot keep its locks.
   */
  onEndedBadly(handler: LambdaFunction): { rule: Rule; deadLetters: Queue } {
    // An event nobody could handle is kept, not dropped: EventBridge's undeliverable events and the
    // function's failed asynchronous invocations land in one encrypted queue, kept 14 days.
    const deadLetters = new Queue(this, 'EndedBadlyDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the execution-ended cleanup (EventBridge target DLQ and the Lambda on-failure destination).',
    });
    handler.configureAsyncInvoke({
      onFailure: new SqsDestination(deadLetters),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    const rule = new Rule(this, 'EndedBadly', {
      description: 'Arbiter: clean up after recommendation executions that ended without their own cleanup',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [this.stateMachineArn], status: ['ABORTED', 'TIMED_OUT', 'FAILED'] },
      },
      targets: [new InvokeLambda(handler, { retryAttempts: 8, deadLetterQueue: deadLetters })],
    });
    return { rule, deadLetters };
  }

  /**
   * The reconciler, every 5 minutes: recommendations whose workflow is not running (StartExecution
   * failed after the commit, an execution stopped or lost) get it back.
   */
  reconcileEvery5Minutes(handler: IFunction): Rule {
    return new Rule(this, 'Reconcile', {
      description: 'Arbiter: give every in-flight recommendation whose workflow is not running its workflow back',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new InvokeLambda(handler, { retryAttempts: 2 })],
    });
  }

  /** Exactly the actions of `access`, on this state machine or its executions only. */
  grant(grantee: IGrantable, access: readonly WorkflowAccess[]): void {
    const resourceArns = { stateMachine: this.stateMachineArn, executions: this.executionsArn };
    for (const { actions, on } of new Set(access.map((a) => WORKFLOW_ACCESS[a]))) {
      Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [resourceArns[on]] });
    }
    if (access.some((a) => WORKFLOW_ACCESS[a].on === 'executions')) this.acknowledgeExecutionsWildcard(grantee);
  }

  private acknowledgeExecutionsWildcard(grantee: IGrantable): void {
    const principal = grantee.grantPrincipal;
    if (!Construct.isConstruct(principal)) return;
    Validations.of(principal).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${this.stateMachineName}:*]`,
      reason:
        'Executions are named per recommendation at run time, so their ARNs cannot be listed in advance. ' +
        'The wildcard covers only the executions of this one state machine, and only for the execution ' +
        'actions this function was given (stopping or describing a superseded recommendation).',
    });
  }
}

/** Sets STATE_MACHINE_ARN and grants `access` on the workflow. */
export function useWorkflow(
  fn: LambdaFunction,
  workflow: RecommendationWorkflow,
  access: readonly WorkflowAccess[],
): void {
  fn.addEnvironment(ENV_NAMES.stateMachineArn, workflow.stateMachineArn);
  workflow.grant(fn, access);
}
