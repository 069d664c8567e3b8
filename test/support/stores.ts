// The DynamoDB repositories on one table, as the handlers' runtime builds them, for integration tests.
import { DynamoApprovalStore } from '../../functions/adapters/approval-store.js';
import { DynamoApproverStore } from '../../functions/adapters/approver-store.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { DynamoKeyStore } from '../../functions/adapters/key-store.js';
import { DynamoPlanStore } from '../../functions/adapters/plan-store.js';
import { DynamoPolicyStore } from '../../functions/adapters/policy-store.js';
import { DynamoRecommendationStore } from '../../functions/adapters/recommendation-store.js';
import { DynamoReconcileStore } from '../../functions/adapters/reconcile-store.js';
import { DynamoResourceLocks } from '../../functions/adapters/resource-locks.js';

export function dynamoStores(endpoint: string, table: string) {
  const db = documentClient({ endpoint });
  return {
    recommendations: new DynamoRecommendationStore(db, table),
    approvals: new DynamoApprovalStore(db, table),
    approvers: new DynamoApproverStore(db, table),
    policies: new DynamoPolicyStore(db, table),
    plans: new DynamoPlanStore(db, table),
    locks: new DynamoResourceLocks(db, table),
    keys: new DynamoKeyStore(db, table),
    reconcile: new DynamoReconcileStore(db, table),
  };
}
