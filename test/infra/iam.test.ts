import { describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import { FUNCTION_NAMES, type FunctionName } from '../../lib/function-defaults.js';
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
const tableId = logicalId(stack.table.table);
const stateMachineId = logicalId(stack.workflow.stateMachine);
const secretsKeyId = logicalId(stack.secretsKey.key);
const named: Record<string, string> = {
  [logicalId(stack.adminKey.secret)]: 'admin key',
  [logicalId(stack.linkSecret.secret)]: 'link secret',
  [logicalId(stack.notifications.topic)]: 'topic',
};
const STATE_MACHINE = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${stack.workflow.stateMachineName}`;
/** Executions are named at run time: the one ARN pattern that needs a wildcard. */
const EXECUTIONS = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stack.workflow.stateMachineName}:*`;
const roles = resourcesOfType(template, 'AWS::IAM::Role');
const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).map((p: Json) => p.Properties);
const functionProps = (name: FunctionName) =>
  resourcesOfType(template, 'AWS::Lambda::Function')[logicalId(stack.functions[name])].Properties;

type Target =
  | 'table'
  | 'index'
  | 'admin key'
  | 'link secret'
  | 'topic'
  | 'state machine'
  | 'executions'
  | 'own log group'
  | string;

/** What each statement of the function's role targets, as `target → sorted actions`. */
function permissionsOf(name: FunctionName): Record<Target, string[]> {
  const ownLogGroup = referencedId(functionProps(name).LoggingConfig.LogGroup);
  return permissionsOfRole(template, referencedId(functionProps(name).Role)!, (resource): Target => {
    const text = joined(resource);
    const id = referencedId(resource);
    if (text === `<${tableId}.Arn>`) return 'table';
    if (text.startsWith(`<${tableId}.Arn>/index/`)) return 'index';
    if (text === STATE_MACHINE) return 'state machine';
    if (text === `<${secretsKeyId}.Arn>`) return 'secrets key';
    if (text === EXECUTIONS) return 'executions';
    if (id === ownLogGroup) return 'own log group';
    return (resource.Ref && named[id!]) || text;
  });
}

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITE = [
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];
const sorted = (...lists: string[][]) => lists.flat().sort();
const READ_WRITE = { table: sorted(READ, WRITE), index: ['dynamodb:Query'] };
const GET_SECRET = ['secretsmanager:GetSecretValue'];
const SIGNAL = ['states:SendTaskFailure', 'states:SendTaskSuccess'];

/** The spec: exactly these actions, on exactly these targets, per function. */
const EXPECTED: Record<FunctionName, Record<Target, string[]>> = {
  coordinate: {
    'own log group': LOGS,
    ...READ_WRITE,
    'admin key': GET_SECRET,
    'state machine': sorted(['states:StartExecution'], SIGNAL),
    executions: ['states:StopExecution'],
  },
  // Cancelling ends workflows (signal, stop), cancels dependents and revives those it had beaten (start).
  recommendations: {
    'own log group': LOGS,
    ...READ_WRITE,
    'admin key': GET_SECRET,
    'state machine': sorted(['states:StartExecution'], SIGNAL),
    executions: ['states:StopExecution'],
  },
  // Registers agents (and rotates their keys): seals signing secrets, never opens one. Resuming a
  // paused customer wakes its waiting plans (signal).
  admin: {
    'own log group': LOGS,
    ...READ_WRITE,
    'admin key': GET_SECRET,
    topic: ['sns:Subscribe'],
    'secrets key': ['kms:GenerateDataKey'],
    'state machine': SIGNAL,
  },
  health: {
    'own log group': LOGS,
    table: ['dynamodb:GetItem'],
    'state machine': ['states:DescribeStateMachine'],
    topic: ['sns:GetTopicAttributes'],
  },
  approvals: {
    'own log group': LOGS,
    ...READ_WRITE,
    'admin key': GET_SECRET,
    'state machine': sorted(['states:StartExecution'], SIGNAL),
    executions: ['states:StopExecution'],
  },
  review: {
    'own log group': LOGS,
    ...READ_WRITE,
    'link secret': GET_SECRET,
    'state machine': sorted(['states:StartExecution'], SIGNAL),
    executions: ['states:StopExecution'],
  },
  // Verifies agents' signed callbacks.
  executions: {
    'own log group': LOGS,
    ...READ_WRITE,
    'admin key': GET_SECRET,
    'state machine': SIGNAL,
    'secrets key': ['kms:Decrypt'],
  },
  'request-approval': {
    'own log group': LOGS,
    ...READ_WRITE,
    'link secret': GET_SECRET,
    topic: ['sns:Publish'],
    'state machine': SIGNAL,
  },
  // Both wake the dependents of a recommendation that ended (signal).
  'record-outcome': {
    'own log group': LOGS,
    ...READ_WRITE,
    topic: ['sns:Publish'],
    'state machine': sorted(['states:StartExecution'], SIGNAL),
    executions: ['states:StopExecution'],
  },
  // Its on-failure destination: Lambda sends the failed event there with the function's role.
  'execution-ended': {
    'own log group': LOGS,
    ...READ_WRITE,
    topic: ['sns:Publish'],
    'state machine': sorted(['states:StartExecution'], SIGNAL),
    executions: ['states:StopExecution'],
    [`<${logicalId(stack.cleanupDeadLetters)}.Arn>`]: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
  },
  'await-execution': { 'own log group': LOGS, ...READ_WRITE, 'state machine': SIGNAL },
  // Scans for in-flight recommendations of every customer; describes and starts executions.
  reconciler: {
    'own log group': LOGS,
    table: sorted(READ, WRITE, ['dynamodb:Scan']),
    index: ['dynamodb:Query'],
    topic: ['sns:Publish'],
    'state machine': sorted(['states:StartExecution'], SIGNAL),
    executions: ['states:DescribeExecution', 'states:StopExecution'],
  },
  'check-dependencies': { 'own log group': LOGS, ...READ_WRITE, 'state machine': SIGNAL },
  'resource-locks': { 'own log group': LOGS, ...READ_WRITE, 'state machine': SIGNAL },
  'record-step': { 'own log group': LOGS, ...READ_WRITE, topic: ['sns:Publish'] },
  'dispatch-step': {
    'own log group': LOGS,
    ...READ_WRITE,
    topic: ['sns:Publish'],
    'state machine': SIGNAL,
    'secrets key': ['kms:Decrypt'],
  },
};

describe('function permissions', () => {
  it.each(FUNCTION_NAMES)('%s has exactly the actions its role needs', (name) => {
    // Active tracing: X-Ray has no resource-level permissions.
    expect(permissionsOf(name)).toEqual({
      ...EXPECTED[name],
      '*': ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
    });
  });

  it('names each index instead of granting index/*', () => {
    const indexResources = policies
      .flatMap((p) => p.PolicyDocument.Statement.flatMap((s: Json) => [s.Resource].flat()))
      .map(joined)
      .filter((text) => text.includes('/index/'));
    const named = TABLE_SCHEMA.indexes.map((index) => `<${tableId}.Arn>/index/${index.name}`);
    expect(new Set(indexResources)).toEqual(new Set(named));
  });

  it('uses no wildcard actions, and wildcard resources only where no ARN can be named', () => {
    const stateMachineRole = referencedId(
      resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[stateMachineId].Properties.RoleArn,
    );
    for (const policy of policies) {
      const ofStateMachine = policy.Roles.some((role: Json) => referencedId(role) === stateMachineRole);
      for (const statement of policy.PolicyDocument.Statement) {
        const actions: string[] = [statement.Action].flat();
        for (const action of actions) expect(action).not.toContain('*');
        for (const resource of [statement.Resource]
          .flat()
          .map(joined)
          .filter((text) => text.includes('*'))) {
          // Execution names are chosen at run time; log delivery and X-Ray have no resource-level permissions.
          // (Stopping a superseded recommendation's; describing, for the reconciler, whether one runs.)
          if (resource === EXECUTIONS)
            expect(['states:StopExecution', 'states:DescribeExecution']).toEqual(expect.arrayContaining(actions));
          else {
            expect(resource).toBe('*');
            const allowed = ofStateMachine ? /^(logs|xray):/ : /^xray:Put(TraceSegments|TelemetryRecords)$/;
            expect(
              actions.every((action) => allowed.test(action)),
              actions.join(),
            ).toBe(true);
          }
        }
      }
    }
  });

  it("uses the secrets key only for Arbiter's encryption context, and puts its ARN only where it is granted", () => {
    const keyStatements = policies
      .flatMap((p) => p.PolicyDocument.Statement)
      .filter((s: Json) => joined(s.Resource) === `<${secretsKeyId}.Arn>`);
    expect(keyStatements).toHaveLength(3);
    for (const statement of keyStatements) {
      expect(statement.Condition).toEqual({
        StringEquals: {
          'kms:EncryptionContext:service': 'arbiter',
          'kms:EncryptionContext:purpose': 'agent-signing-secret',
        },
      });
    }
    const withKey = FUNCTION_NAMES.filter((name) => functionProps(name).Environment?.Variables?.SECRETS_KEY_ARN);
    expect(withKey.sort()).toEqual(['admin', 'dispatch-step', 'executions']);
    const key = resourcesOfType(template, 'AWS::KMS::Key')[secretsKeyId];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('gives function roles no managed policies, and lets only Lambda assume them', () => {
    for (const name of FUNCTION_NAMES) {
      const role = roles[referencedId(functionProps(name).Role)!].Properties;
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
      ]);
    }
  });
});
