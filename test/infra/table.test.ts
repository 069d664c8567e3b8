import { describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import { type Json, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { template, stack } = synthArbiter();
const tables = Object.values(resourcesOfType(template, 'AWS::DynamoDB::Table'));
const [table] = tables;
const props = table.Properties;

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('table', () => {
  it('is the one table, keyed as TABLE_SCHEMA says, all keys strings', () => {
    expect(tables).toHaveLength(1);
    expect(props.KeySchema).toEqual(keySchema(TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey));
    const keyNames = [
      TABLE_SCHEMA.partitionKey,
      TABLE_SCHEMA.sortKey,
      ...TABLE_SCHEMA.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ];
    expect(props.AttributeDefinitions).toHaveLength(keyNames.length);
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining(keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
  });

  it('has the indexes of TABLE_SCHEMA, projecting all attributes', () => {
    const indexes = props.GlobalSecondaryIndexes.map((gsi: Json) => ({
      name: gsi.IndexName,
      keys: gsi.KeySchema,
      projection: gsi.Projection.ProjectionType,
    }));
    expect(indexes).toEqual(
      TABLE_SCHEMA.indexes.map((index) => ({
        name: index.name,
        keys: keySchema(index.partitionKey, index.sortKey),
        projection: 'ALL',
      })),
    );
  });

  it('expires items by the TTL attribute', () => {
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true });
  });

  it('is on-demand, recoverable to a point in time, encrypted, protected from deletion and retained', () => {
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.SSESpecification).toEqual({ SSEEnabled: true });
    expect(props.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  // The state machine's log group is the exception issue 7 asks for: it must sit under
  // /aws/vendedlogs/states/, so it is named, after the stack (two stacks never clash).
  const vendedLogs = (type: string, resource: Json) =>
    type === 'AWS::Logs::LogGroup' &&
    String(resource.Properties?.LogGroupName).startsWith(`/aws/vendedlogs/states/${stack.stackName}-`);

  it('lets CloudFormation name every resource (no hard-coded physical names) but the vended-logs group, named after the stack', () => {
    const nameProperties: Record<string, string> = {
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::SecretsManager::Secret': 'Name',
      'AWS::SNS::Topic': 'TopicName',
    };
    for (const [type, property] of Object.entries(nameProperties)) {
      for (const resource of Object.values(resourcesOfType(template, type))) {
        if (!vendedLogs(type, resource)) expect(resource.Properties ?? {}, type).not.toHaveProperty(property);
      }
    }
  });
});
