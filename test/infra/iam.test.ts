import { describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import { HANDLER_NAMES, type HandlerName } from '../../functions/shared/routes.js';
import { joined, logicalId, referencedId, resourcesOfType, synthArbiter, type Json } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const tableId = logicalId(stack.table.table);
const secretId = logicalId(stack.adminKey.secret);
const roles = resourcesOfType(template, 'AWS::IAM::Role');
const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).map((p: Json) => p.Properties);
const functionProps = (name: HandlerName) => resourcesOfType(template, 'AWS::Lambda::Function')[logicalId(stack.functions[name])].Properties;

type Target = 'table' | 'index' | 'secret' | 'own log group' | string;

/** What each statement of the function's role targets, as `target → sorted actions`. */
function permissionsOf(name: HandlerName): Record<Target, string[]> {
  const roleId = referencedId(functionProps(name).Role)!;
  const ownLogGroup = referencedId(functionProps(name).LoggingConfig.LogGroup);
  const targetOf = (resource: Json): Target => {
    const text = joined(resource);
    if (text === `<${tableId}.Arn>`) return 'table';
    if (text.startsWith(`<${tableId}.Arn>/index/`)) return 'index';
    if (referencedId(resource) === secretId) return 'secret';
    if (referencedId(resource) === ownLogGroup) return 'own log group';
    return text;
  };
  const permissions: Record<Target, string[]> = {};
  for (const policy of policies.filter((p) => p.Roles.some((r: Json) => referencedId(r) === roleId))) {
    for (const statement of policy.PolicyDocument.Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of [statement.Resource].flat()) {
        const target = targetOf(resource);
        permissions[target] = [...(permissions[target] ?? []), ...[statement.Action].flat()].sort();
      }
    }
  }
  return permissions;
}

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const sorted = (...lists: string[][]) => lists.flat().sort();

/** The spec: exactly these actions, on exactly these targets, per function. */
const EXPECTED: Record<HandlerName, Record<Target, string[]>> = {
  coordinate: { 'own log group': LOGS, table: sorted(READ, WRITE), index: ['dynamodb:Query'], secret: ['secretsmanager:GetSecretValue'] },
  recommendations: { 'own log group': LOGS, table: READ, index: ['dynamodb:Query'], secret: ['secretsmanager:GetSecretValue'] },
  admin: {
    'own log group': LOGS,
    table: sorted(READ, WRITE),
    index: ['dynamodb:Query'],
    secret: ['secretsmanager:GetSecretValue'],
  },
  health: { 'own log group': LOGS, table: ['dynamodb:GetItem'] },
};

describe('function permissions', () => {
  it.each(HANDLER_NAMES)('%s has exactly the actions its role needs', (name) => {
    expect(permissionsOf(name)).toEqual(EXPECTED[name]);
  });

  it('names each index instead of granting index/*', () => {
    const indexResources = policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s: Json) => [s.Resource].flat()))
      .map(joined)
      .filter((text) => text.includes('/index/'));
    const named = TABLE_SCHEMA.indexes.map((index) => `<${tableId}.Arn>/index/${index.name}`);
    expect(new Set(indexResources)).toEqual(new Set(named));
  });

  it('uses no wildcard actions or resources anywhere', () => {
    for (const statement of policies.flatMap((p) => p.PolicyDocument.Statement)) {
      for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      for (const resource of [statement.Resource].flat()) expect(joined(resource)).not.toContain('*');
    }
  });

  it('gives function roles no managed policies, and lets only Lambda assume them', () => {
    for (const name of HANDLER_NAMES) {
      const role = roles[referencedId(functionProps(name).Role)!].Properties;
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
      ]);
    }
  });
});
