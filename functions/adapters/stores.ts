// Every DynamoDB store on one table, built once: the handlers' runtime, the integration tests and
// the local console all take them from here. DynamoDB only (no SNS, Step Functions, Secrets Manager
// or KMS import), so a function that needs only stores bundles only the DynamoDB client.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SecretCipher } from '../core/ports/access.js';
import type { Clock } from '../core/ports/clock.js';
import { DynamoApprovalStore } from './approval-store.js';
import { DynamoApproverStore } from './approver-store.js';
import { DynamoCancelRequests } from './cancellation.js';
import { DynamoCredentialStore } from './credential-store.js';
import { DynamoDependencyWaiters } from './dependency-waiters.js';
import { DynamoKeyStore } from './key-store.js';
import { DynamoLockWaiters } from './lock-waiters.js';
import { DynamoPlanStore } from './plan-store.js';
import { DynamoPolicyStore } from './policy-store.js';
import { DynamoRecommendationStore } from './recommendation-store.js';
import { DynamoReconcileStore } from './reconcile-store.js';
import { DynamoResourceLocks } from './resource-locks.js';
import { plaintextCipher } from './secret-cipher.js';

export interface StoreOptions {
  db: DynamoDBDocumentClient;
  table: string;
  /** Stamps what the stores write on their own (a policy's updated_at, a lock's acquired_at). */
  clock: Clock;
  /** Seals agents' signing secrets (credentials and keys alike); plaintext when none is given. */
  secretCipher?: SecretCipher;
}

export function dynamoStores({ db, table, clock, secretCipher = plaintextCipher }: StoreOptions) {
  const credentials = new DynamoCredentialStore(db, table, secretCipher, clock);
  return {
    credentials,
    /** The registered agents, as the credential store knows them. */
    agents: credentials,
    recommendations: new DynamoRecommendationStore(db, table, clock),
    approvals: new DynamoApprovalStore(db, table, clock),
    approvers: new DynamoApproverStore(db, table),
    policies: new DynamoPolicyStore(db, table, clock),
    plans: new DynamoPlanStore(db, table, clock),
    locks: new DynamoResourceLocks(db, table, clock),
    waiters: new DynamoDependencyWaiters(db, table),
    lockWaiters: new DynamoLockWaiters(db, table),
    cancels: new DynamoCancelRequests(db, table),
    reconcile: new DynamoReconcileStore(db, table),
    keys: new DynamoKeyStore(db, table, secretCipher),
  };
}

export type DynamoStores = ReturnType<typeof dynamoStores>;
