// The DynamoDB repositories on one table, from the factory the handlers' runtime uses, for
// integration tests: the same eight stores as always (tests add waiters and lock waiters themselves
// where they want them, since their presence changes what a use case does).
import { documentClient } from '../../functions/adapters/dynamo.js';
import { dynamoStores as storesOn } from '../../functions/adapters/stores.js';
import { systemClock } from '../../functions/adapters/system-clock.js';

export function dynamoStores(endpoint: string, table: string) {
  const { recommendations, approvals, approvers, policies, plans, locks, keys, reconcile } = storesOn({
    db: documentClient({ endpoint }),
    table,
    clock: systemClock,
  });
  return { recommendations, approvals, approvers, policies, plans, locks, keys, reconcile };
}
