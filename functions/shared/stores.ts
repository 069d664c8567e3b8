// The table's stores: DynamoDB only (every Lambda reads or writes the table). stores() neither seals nor
// opens agents' signing secrets; the three functions that do (admin, dispatch-step, executions) use
// sealed-stores.ts, which brings in the KMS client.
import { DynamoApprovalStore } from '../adapters/approval-store.js';
import { DynamoApproverStore } from '../adapters/approver-store.js';
import { DynamoCredentialStore } from '../adapters/credential-store.js';
import { DynamoDependencyWaiters } from '../adapters/dependency-waiters.js';
import { documentClient } from '../adapters/dynamo.js';
import { DynamoKeyStore } from '../adapters/key-store.js';
import { DynamoLockWaiters } from '../adapters/lock-waiters.js';
import { DynamoPlanStore } from '../adapters/plan-store.js';
import { DynamoPolicyStore } from '../adapters/policy-store.js';
import { DynamoRecommendationStore } from '../adapters/recommendation-store.js';
import { DynamoReconcileStore } from '../adapters/reconcile-store.js';
import { DynamoResourceLocks } from '../adapters/resource-locks.js';
import type { SecretCipher } from '../core/ports/access.js';
import { config, once } from './runtime.js';

const db = once(() => documentClient({ endpoint: config().DYNAMODB_ENDPOINT }));

/** Every store on the one table and client; `secretCipher` seals and opens agents' signing secrets. */
export function tableStores(secretCipher?: SecretCipher) {
  const table = config().TABLE_NAME;
  const credentials = new DynamoCredentialStore(db(), table, secretCipher);
  return {
    credentials,
    agents: credentials,
    keys: new DynamoKeyStore(db(), table, secretCipher),
    recommendations: new DynamoRecommendationStore(db(), table),
    approvals: new DynamoApprovalStore(db(), table),
    approvers: new DynamoApproverStore(db(), table),
    policies: new DynamoPolicyStore(db(), table),
    plans: new DynamoPlanStore(db(), table),
    locks: new DynamoResourceLocks(db(), table),
    waiters: new DynamoDependencyWaiters(db(), table),
    reconcile: new DynamoReconcileStore(db(), table),
    lockWaiters: new DynamoLockWaiters(db(), table),
  };
}

/** The stores of a function that never seals or opens a signing secret. */
export const stores = once(() => tableStores());
