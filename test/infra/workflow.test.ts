import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TASK_HANDLERS, type TaskHandlerName } from '../../functions/shared/routes.js';
import { TASK_NAMES } from '../../lib/function-defaults.js';
import { ASL_PATH, placeholdersIn } from '../../lib/workflow.js';
import {
  type Json,
  joined,
  logicalId,
  permissionsOfRole,
  referencedId,
  resourcesOfType,
  synthArbiter,
} from './arbiter-app.js';

const { stack, template } = synthArbiter();
const stateMachineId = logicalId(stack.workflow.stateMachine);
const props = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[stateMachineId].Properties;
const taskByFunctionArn = new Map(TASK_NAMES.map((name) => [`<${logicalId(stack.functions[name])}.Arn>`, name]));
const rawAsl = readFileSync(ASL_PATH, 'utf8');

/** The definition as Step Functions receives it: the DefinitionString with DefinitionSubstitutions applied. */
function deployedDefinition(): string {
  const substitutions: Record<string, Json> = props.DefinitionSubstitutions ?? {};
  return joined(props.DefinitionString).replace(/\$\{([^}]+)\}/g, (placeholder, name: string) =>
    name in substitutions ? joined(substitutions[name]) : placeholder,
  );
}

/** Every state, including those inside Parallel branches and Map iterators, by name. */
function statesOf(definition: Json): Map<string, Json> {
  const states = new Map<string, Json>();
  const visit = (machine: Json) => {
    for (const [name, state] of Object.entries<Json>(machine.States)) {
      states.set(name, state);
      for (const branch of state.Branches ?? []) visit(branch);
      for (const inner of [state.Iterator, state.ItemProcessor]) if (inner) visit(inner);
    }
  };
  visit(definition);
  return states;
}

const lambdaTasks = (states: Map<string, Json>) =>
  [...states].filter(
    ([, state]) => state.Type === 'Task' && String(state.Resource).startsWith('arn:aws:states:::lambda:invoke'),
  );

describe('recommendation workflow', () => {
  it('is named after the stack, so functions it invokes can use its ARN without a reference (a cycle)', () => {
    expect(props.StateMachineName).toBe(`${stack.stackName}-Recommendation`);
    expect(props.StateMachineName).toBe(stack.workflow.stateMachineName);
    expect(joined(stack.resolve(stack.workflow.stateMachineArn))).toBe(
      `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${props.StateMachineName}`,
    );
  });

  it('is a Standard state machine defined inline from statemachines/recommendation.asl.json', () => {
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.DefinitionS3Location).toBeUndefined();
    expect(JSON.parse(joined(props.DefinitionString))).toEqual(JSON.parse(rawAsl));
  });

  it('substitutes every ${Placeholder} of the ASL, leaving none in the deployed definition', () => {
    const placeholders = placeholdersIn(rawAsl);
    expect(placeholders.length).toBeGreaterThan(0);
    expect(Object.keys(props.DefinitionSubstitutions).sort()).toEqual(expect.arrayContaining(placeholders.sort()));
    expect(deployedDefinition()).not.toMatch(/\$\{[^}]*\}/);
  });

  it('invokes, in each Lambda task, the function TASK_HANDLERS names for its placeholder', () => {
    const raw = statesOf(JSON.parse(rawAsl));
    const deployed = statesOf(JSON.parse(deployedDefinition()));
    const tasks = lambdaTasks(deployed);
    expect(tasks.length).toBeGreaterThan(0);
    for (const [name, state] of tasks) {
      const placeholder = /^\$\{(.+)\}$/.exec(raw.get(name).Parameters.FunctionName)?.[1];
      const task = TASK_NAMES.find((t) => TASK_HANDLERS[t] === placeholder);
      expect(task, `${name} names ${placeholder}`).toBeDefined();
      expect(taskByFunctionArn.get(state.Parameters.FunctionName), name).toBe(task);
    }
  });

  it('uses every task function, and waits for a task token only where a person or an agent answers later', () => {
    const tasks = lambdaTasks(statesOf(JSON.parse(deployedDefinition())));
    const invoked = new Set(tasks.map(([, state]) => taskByFunctionArn.get(state.Parameters.FunctionName)));
    expect([...invoked].sort()).toEqual([...TASK_NAMES].sort());
    const waiting = tasks
      .filter(([, state]) => state.Resource.endsWith('.waitForTaskToken'))
      .map(([name, state]) => `${name} -> ${taskByFunctionArn.get(state.Parameters.FunctionName)}`);
    expect(waiting.sort()).toEqual([
      // The customer's resume (the policy PUT) answers it.
      'Paused -> resource-locks',
      'Request approval -> request-approval',
      'Roll back step -> dispatch-step',
      // The ready steps of a plan run as a graph, one per Map iteration.
      'Run ready step -> dispatch-step',
      'Run step -> dispatch-step',
      'Wait for a dependency to end -> check-dependencies',
      'Wait for execution request -> await-execution',
      'Wait for resources -> resource-locks',
    ]);
  });

  it('bounds every task-token wait, so a lost callback cannot hold an execution (and its locks) forever', () => {
    const waiting = lambdaTasks(statesOf(JSON.parse(rawAsl))).filter(([, state]) =>
      state.Resource.endsWith('.waitForTaskToken'),
    );
    for (const [name, state] of waiting) {
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath, name).toBeDefined();
    }
  });

  it('logs every state transition without execution data (task tokens) to its own log group', () => {
    const logging = props.LoggingConfiguration;
    expect(logging.Level).toBe('ALL');
    expect(logging.IncludeExecutionData).toBe(false);
    const logGroupId = referencedId(logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn)!;
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
    const functionLogGroups = Object.values(stack.functions).map((fn) => logicalId(fn.logGroup));
    expect(functionLogGroups).not.toContain(logGroupId);
  });

  it('logs to a group under /aws/vendedlogs/states/, as Step Functions recommends', () => {
    const logGroupId = referencedId(props.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn)!;
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId].Properties.LogGroupName).toBe(
      `/aws/vendedlogs/states/${stack.workflow.stateMachineName}`,
    );
  });

  it("retries Lambda.ClientExecutionTimeoutException wherever it retries Lambda's service errors", () => {
    const retried = lambdaTasks(statesOf(JSON.parse(rawAsl))).flatMap(([name, state]) =>
      (state.Retry ?? [])
        .filter((r: Json) => r.ErrorEquals.includes('Lambda.ServiceException'))
        .map((r: Json) => [name, r.ErrorEquals]),
    );
    expect(retried.length).toBeGreaterThan(5);
    for (const [name, errors] of retried) expect(errors, name).toContain('Lambda.ClientExecutionTimeoutException');
  });

  it('keeps nothing that grows with the input in the state: locks and dependency lists stay out', () => {
    const states = statesOf(JSON.parse(rawAsl));
    // Acquiring also starts the plan: its result is the cursor (index, timeout, done), never the locked resources.
    expect(states.get('Acquire resource locks').ResultPath).toBe('$.cursor');
    expect(states.get('Wait for dependencies').ResultSelector).toEqual({ value: { 'state.$': '$.Payload.state' } });
  });

  it('is traced with X-Ray', () => {
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('runs as a role that Step Functions alone assumes and that can invoke exactly the seven task functions', () => {
    expect([...TASK_NAMES].sort()).toEqual<TaskHandlerName[]>([
      'await-execution',
      'check-dependencies',
      'dispatch-step',
      'record-outcome',
      'record-step',
      'request-approval',
      'resource-locks',
    ]);
    const roleId = referencedId(props.RoleArn)!;
    const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId].Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'states.amazonaws.com' } }),
    ]);
    const permissions = permissionsOfRole(
      template,
      roleId,
      (resource) => taskByFunctionArn.get(joined(resource)) ?? joined(resource),
    );
    const { '*': serviceWide, ...onResources } = permissions;
    expect(onResources).toEqual(Object.fromEntries(TASK_NAMES.map((name) => [name, ['lambda:InvokeFunction']])));
    // Log delivery and X-Ray only: they have no resource-level permissions.
    expect(serviceWide.filter((action) => !/^(logs|xray):/.test(action))).toEqual([]);
  });

  it('is the only role that can invoke Lambda functions', () => {
    const roleId = referencedId(props.RoleArn);
    for (const { Properties: policy } of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
      const actions = policy.PolicyDocument.Statement.flatMap((s: Json) => [s.Action].flat());
      if (actions.includes('lambda:InvokeFunction')) expect(policy.Roles.map(referencedId)).toEqual([roleId]);
    }
  });
});

describe('executions that end without their own cleanup', () => {
  it("go to execution-ended: a rule on this state machine's ABORTED, TIMED_OUT and FAILED status changes, and nothing else", () => {
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule'))
      .map((r: Json) => r.Properties)
      .filter((r: Json) => r.EventPattern);
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule.EventPattern.source).toEqual(['aws.states']);
    expect(rule.EventPattern['detail-type']).toEqual(['Step Functions Execution Status Change']);
    expect(rule.EventPattern.detail.status).toEqual(['ABORTED', 'TIMED_OUT', 'FAILED']);
    expect(joined(rule.EventPattern.detail.stateMachineArn[0])).toBe(
      joined(stack.resolve(stack.workflow.stateMachineArn)),
    );
    expect(rule.Targets.map((t: Json) => referencedId(t.Arn))).toEqual([logicalId(stack.functions['execution-ended'])]);
    const invokers = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission'))
      .map((p: Json) => p.Properties)
      .filter((p) => p.Principal === 'events.amazonaws.com');
    expect(invokers.map((p) => referencedId(p.FunctionName)).sort()).toEqual(
      [logicalId(stack.functions['execution-ended']), logicalId(stack.functions.reconciler)].sort(),
    );
  });

  it("keep what the cleanup could not handle in an encrypted dead-letter queue: the rule target's DLQ and the function's on-failure destination", () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(1);
    const [[queueId, queue]] = Object.entries(queues);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 86_400);
    const [rule] = Object.values(resourcesOfType(template, 'AWS::Events::Rule'))
      .map((r: Json) => r.Properties)
      .filter((r: Json) => r.EventPattern);
    expect(referencedId(rule.Targets[0].DeadLetterConfig.Arn)).toBe(queueId);
    const [invokeConfig] = Object.values(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')).map(
      (r: Json) => r.Properties,
    );
    expect(referencedId(invokeConfig.FunctionName)).toBe(logicalId(stack.functions['execution-ended']));
    expect(referencedId(invokeConfig.DestinationConfig.OnFailure.Destination)).toBe(queueId);
    // Only TLS, and only EventBridge (for this rule) and the cleanup function may send to it.
    const [policy] = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy')).map(
      (r: Json) => r.Properties.PolicyDocument.Statement,
    );
    expect(policy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    expect(policy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
        }),
      ]),
    );
  });
});

describe('the reconciler', () => {
  it('runs every 5 minutes on a schedule, and nothing else invokes it', () => {
    const scheduled = Object.values(resourcesOfType(template, 'AWS::Events::Rule'))
      .map((r: Json) => r.Properties)
      .filter((r: Json) => r.ScheduleExpression);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0].ScheduleExpression).toBe('rate(5 minutes)');
    expect(scheduled[0].Targets.map((t: Json) => referencedId(t.Arn))).toEqual([logicalId(stack.functions.reconciler)]);
  });
});
