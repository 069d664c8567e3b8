// The customer-managed KMS key that seals agents' signing secrets in the table (issue 8 §6,
// functions/adapters/kms-cipher.ts: envelope encryption). Only the function that registers agents
// may make data keys under it, and only the ones that sign dispatched steps or verify agents'
// callbacks may decrypt them: a table export, backup or scan gives nothing usable.
import { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { SECRETS_CONTEXT } from '../functions/adapters/kms-cipher.js';
import { ENV_NAMES } from '../functions/shared/env.js';
import { CustomerManagedKey } from './customer-managed-key.js';

export class SecretsKey extends CustomerManagedKey {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: "Arbiter: seals agents' signing secrets in the table (envelope encryption)",
      // Deleting it would make every stored signing secret unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/** seal: make data keys (registering agents, rotating their secrets); open: decrypt them (dispatching, verifying callbacks). */
export type SecretsKeyAccess = 'seal' | 'open';

const ACTIONS: Record<SecretsKeyAccess, string> = { seal: 'kms:GenerateDataKey', open: 'kms:Decrypt' };

/** SECRETS_KEY_ARN, and the KMS actions asked for on this key only, for Arbiter's encryption context only. */
export function useSecretsKey(fn: LambdaFunction, secretsKey: SecretsKey, access: readonly SecretsKeyAccess[]): void {
  fn.addEnvironment(ENV_NAMES.secretsKeyArn, secretsKey.key.keyArn);
  const context = Object.fromEntries(
    Object.entries(SECRETS_CONTEXT).map(([name, value]) => [`kms:EncryptionContext:${name}`, value]),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: access.map((a) => ACTIONS[a]),
      resources: [secretsKey.key.keyArn],
      conditions: { StringEquals: context },
    }),
  );
}
