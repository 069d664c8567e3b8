// The single DynamoDB table, built from TABLE_SCHEMA (the same definition local/ uses for
// DynamoDB Local), and the only place that decides which DynamoDB actions a function may use.
// Functions get it through useTable, which sets TABLE_NAME and grants together so they cannot drift.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../functions/adapters/table-schema.js';
import { ENV_NAMES } from '../functions/shared/env.js';

const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

/** What a function may do with the table. Transactions need no actions of their own. */
export const TABLE_ACCESS = {
  /** Enough to prove the table answers (health). */
  probe: ['dynamodb:GetItem'],
  read: READ,
  readWrite: [
    ...READ,
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const satisfies Record<string, readonly string[]>;
export type TableAccess = keyof typeof TABLE_ACCESS;

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

export class ArbiterTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: stringKey(TABLE_SCHEMA.partitionKey),
      sortKey: stringKey(TABLE_SCHEMA.sortKey),
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // The table holds every customer's recommendations, approvals and key hashes.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_SCHEMA.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** Grants exactly the actions of `access`. Indexes are named one by one (no `index/*`). */
  grantAccess(grantee: IGrantable, access: TableAccess): void {
    const actions: readonly string[] = TABLE_ACCESS[access];
    Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [this.table.tableArn] });
    if (actions.includes('dynamodb:Query')) {
      const indexArns = TABLE_SCHEMA.indexes.map((index) => `${this.table.tableArn}/index/${index.name}`);
      Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: indexArns });
    }
  }
}

/** Sets TABLE_NAME and grants `access` on the table. */
export function useTable(fn: LambdaFunction, table: ArbiterTable, access: TableAccess): void {
  fn.addEnvironment(ENV_NAMES.table, table.table.tableName);
  table.grantAccess(fn, access);
}
