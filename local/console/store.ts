// What the console reads from DynamoDB: the stores the handlers use (adapters/stores.ts) and the
// views the API gives (viewRecommendation, publicApproval), so a task token or key hash never
// reaches the page. Only what the API has no access path for is the console's own: every customer,
// and every recommendation of a customer at once.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import { queryAll, scanAll, withPrefix } from '../../functions/adapters/paginate.js';
import { liveFilter } from '../../functions/adapters/retention.js';
import { type DynamoStores, dynamoStores } from '../../functions/adapters/stores.js';
import { systemClock } from '../../functions/adapters/system-clock.js';
import { NotFound } from '../../functions/core/model/errors.js';
import type { Approval, ExecutionPlan, Recommendation } from '../../functions/core/model/records.js';
import { type ExecutionOutcome, PLAN_STATUS_BY_OUTCOME } from '../../functions/core/rules/plan-progress.js';
import { publicApproval } from '../../functions/core/rules/public-view.js';
import { type RecommendationView, viewRecommendation } from '../../functions/core/use-cases/view-recommendation.js';

export type ConsoleStore = ReturnType<typeof consoleStore>;

/** How Executions (lib/metric-names.ts) names a plan's ending: one per plan that ends. */
export const EXECUTION_OUTCOMES = Object.keys(PLAN_STATUS_BY_OUTCOME) as ExecutionOutcome[];

/** Sort keys of a customer's plans (and their step items, told apart by `entity`). */
const PLAN_PREFIX = keys.plan('');

function consoleStore(db: DynamoDBDocumentClient, table: string, stores: DynamoStores) {
  return {
    /**
     * The customers that have recommendations. Arbiter has no access path across customers (every
     * key starts with one), so this scans: fine for the local table of one developer; product code
     * scans only in the reconciler.
     */
    async customers(): Promise<string[]> {
      const found = await scanAll<{ customer_id: string }>(db, {
        TableName: table,
        ProjectionExpression: 'customer_id',
        FilterExpression: 'entity = :r',
        ExpressionAttributeValues: { ':r': 'recommendation' },
      });
      return [...new Set(found.map((item) => item.customer_id))].sort();
    },

    /** Every recommendation of these customers, newest first. */
    async listRecommendations(customerIds: readonly string[]): Promise<Recommendation[]> {
      // Expired ones are gone for every reader, whether or not the sweeper deleted them yet.
      const live = liveFilter(systemClock.now());
      const lists = await Promise.all(
        customerIds.map((id) => {
          const query = withPrefix(table, keys.customer(id), keys.recommendationPrefix);
          return queryAll<Recommendation>(db, {
            ...query,
            FilterExpression: live.FilterExpression,
            ExpressionAttributeNames: live.names,
            ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ...live.values },
          });
        }),
      );
      return lists.flat().sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
    },

    /** The plans of these customers, only what says how each ended: the Executions metric counts them by status. */
    async planStatuses(customerIds: readonly string[]): Promise<Pick<ExecutionPlan, 'customer_id' | 'status'>[]> {
      const lists = await Promise.all(
        customerIds.map((customerId) => {
          const query = withPrefix(table, keys.customer(customerId), PLAN_PREFIX);
          return queryAll<Pick<ExecutionPlan, 'customer_id' | 'status'>>(db, {
            ...query,
            ProjectionExpression: 'customer_id, #status',
            FilterExpression: 'entity = :plan',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':plan': 'plan' },
          });
        }),
      );
      return lists.flat();
    },

    /** Those still open to votes, soonest to expire first. */
    async pendingApprovals(customerIds: readonly string[]): Promise<Approval[]> {
      const now = systemClock.now().toISOString();
      const lists = await Promise.all(customerIds.map((id) => stores.approvals.listPending(id, now)));
      return lists
        .flat()
        .map(publicApproval)
        .sort((a, b) => a.expires_at.localeCompare(b.expires_at));
    },

    /** As GET /coordination/recommendations/{id} shows it; undefined when there is none. */
    async recommendation(customerId: string, id: string): Promise<RecommendationView | undefined> {
      try {
        return await viewRecommendation(customerId, id, stores);
      } catch (error) {
        if (error instanceof NotFound) return undefined;
        throw error;
      }
    },
  };
}

/** A store on its own client for one request, destroyed after: the console holds no connections between requests. */
export async function withConsoleStore<T>(
  endpoint: string,
  table: string,
  read: (store: ConsoleStore) => Promise<T>,
): Promise<T> {
  const db = documentClient({ endpoint });
  try {
    return await read(consoleStore(db, table, dynamoStores({ db, table, clock: systemClock })));
  } finally {
    db.destroy();
  }
}
