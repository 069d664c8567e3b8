// Arbiter on AWS: one table, one admin key, one Lambda per handler, one REST API.
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { HANDLER_NAMES, type HandlerName } from '../functions/shared/routes.js';
import { AdminKey } from './admin-key.js';
import { ArbiterApi } from './api.js';
import { ArbiterFunction, useAdminKey, useTable } from './function-defaults.js';
import { ArbiterTable, type TableAccess } from './table.js';

/**
 * Least privilege, per handler: its table access, and whether it may read the admin key (every
 * handler that accepts keys must recognise the admin's; only health, which is public, does not).
 */
const HANDLER_ACCESS: Record<HandlerName, { table: TableAccess; adminKey?: true }> = {
  coordinate: { table: 'readWrite', adminKey: true },
  recommendations: { table: 'read', adminKey: true },
  admin: { table: 'readWrite', adminKey: true },
  health: { table: 'probe' },
};

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function byHandler<T>(make: (name: HandlerName) => T): Record<HandlerName, T> {
  return Object.fromEntries(HANDLER_NAMES.map((name) => [name, make(name)])) as Record<HandlerName, T>;
}

export class ArbiterStack extends Stack {
  readonly table: ArbiterTable;
  readonly adminKey: AdminKey;
  readonly functions: Record<HandlerName, NodejsFunction>;
  readonly api: ArbiterApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'Arbiter: coordinates optimization agents', ...props });
    Tags.of(this).add('service', 'arbiter');

    this.table = new ArbiterTable(this, 'Table');
    this.adminKey = new AdminKey(this, 'AdminKey');
    this.functions = byHandler((name) => {
      const fn = new ArbiterFunction(this, pascal(name), { handler: name }).lambda;
      const access = HANDLER_ACCESS[name];
      useTable(fn, this.table, access.table);
      if (access.adminKey) useAdminKey(fn, this.adminKey);
      return fn;
    });
    this.api = new ArbiterApi(this, 'Api', { handlers: this.functions });

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'Base URL of the API' });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'AdminKeySecretArn', {
      value: this.adminKey.secret.secretArn,
      description: 'Read the admin key with: aws secretsmanager get-secret-value --secret-id <this>',
    });
  }
}
