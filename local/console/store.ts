// What the console reads from DynamoDB: the stores the handlers use (adapters/stores.ts) and the
// views the API gives (viewRecommendation, publicApproval), so a task token or key hash never
// reaches the page. Only what the API has no access path for is the console's own: every customer,
// and every recommendation of a customer at once.
import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import { queryAll, scanAll, withPrefix } from '../../functions/adapters/paginate.js';
import { type DynamoStores, dynamoStores } from '../../functions/adapters/stores.js';
import { systemClock } from '../../functions/adapters/system-clock.js';
import { NotFound } from '../../functions/core/model/errors.js';
import type { Approval, Recommendation } from '../../functions/core/model/records.js';
import { RECOMMENDATION_STATUSES } from '../../functions/core/model/statuses.js';
import { type ExecutionOutcome, PLAN_STATUS_BY_OUTCOME } from '../../functions/core/rules/plan-progress.js';
import { publicApproval } from '../../functions/core/rules/public-view.js';
import { type RecommendationView, viewRecommendation } from '../../functions/core/use-cases/view-recommendation.js';

export type ConsoleStore = ReturnType<typeof consoleStore>;

/** How Executions (lib/metric-names.ts) names a plan's ending: one per plan that ends. */
export const EXECUTION_OUTCOMES = Object.keys(PLAN_STATUS_BY_OUTCOME) as ExecutionOutcome[];

/** Sort keys of a customer's plans (and their step items, told apart by `entity`). */
const PLAN_PREFIX = keys.plan('');

/** How many items the Query matches, page after page (a COUNT query stops at 1 MB read too). */
async function countAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<number> {
  let count = 0;
  for await (const page of paginateQuery({ client: db }, { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
  return count;
}

/** Runs `count` for each customer, all at once: one record of counts per customer. */
async function perCustomer(
  customerIds: readonly string[],
  count: (customerId: string) => Promise<Record<string, number>>,
): Promise<Map<string, Record<string, number>>> {
  const counts = await Promise.all(customerIds.map(count));
  return new Map(customerIds.map((id, i) => [id, counts[i]]));
}

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
      const lists = await Promise.all(
        customerIds.map((id) =>
          queryAll<Recommendation>(db, withPrefix(table, keys.customer(id), keys.recommendationPrefix)),
        ),
      );
      return lists.flat().sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
    },

    /**
     * Recommendations by status, as an operator counts them on AWS: a COUNT Query of gsi1 per
     * customer and status (the index GET /coordination/recommendations?status= reads).
     */
    statusCounts(customerIds: readonly string[]) {
      return perCustomer(customerIds, async (customerId) => {
        const counts = await Promise.all(
          RECOMMENDATION_STATUSES.map((s) =>
            countAll(db, {
              TableName: table,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :p',
              ExpressionAttributeValues: { ':p': keys.recommendationsByStatus(customerId, s) },
            }),
          ),
        );
        return Object.fromEntries(RECOMMENDATION_STATUSES.map((s, i) => [s, counts[i]]));
      });
    },

    /** Plans that ended, by outcome: what the Executions metric counts, read from the plans themselves. */
    executionOutcomes(customerIds: readonly string[]) {
      return perCustomer(customerIds, async (customerId) => {
        const query = withPrefix(table, keys.customer(customerId), PLAN_PREFIX);
        const plans = await queryAll<{ status: string }>(db, {
          ...query,
          ProjectionExpression: '#status',
          FilterExpression: 'entity = :plan',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':plan': 'plan' },
        });
        const counts: Record<string, number> = {};
        for (const { status } of plans) counts[status] = (counts[status] ?? 0) + 1;
        return counts;
      });
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
