// What the console reads from DynamoDB, through the adapters the handlers use, and in the views
// the API gives (publicApproval, publicPlan): a task token or key hash never reaches the page.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoApprovalStore } from '../../functions/adapters/approval-store.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { DynamoPlanStore } from '../../functions/adapters/plan-store.js';
import { DynamoRecommendationStore } from '../../functions/adapters/recommendation-store.js';
import type { Approval, ExecutionPlan, Recommendation } from '../../functions/core/model/records.js';
import { publicApproval, publicPlan } from '../../functions/core/rules/public-view.js';

export interface RecommendationDetail {
  recommendation: Recommendation;
  approval?: Approval;
  plan?: ExecutionPlan;
}

const PAGE_SIZE = 100;

export class ConsoleStore {
  private readonly recommendations: DynamoRecommendationStore;
  private readonly approvals: DynamoApprovalStore;
  private readonly plans: DynamoPlanStore;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.recommendations = new DynamoRecommendationStore(db, table);
    this.approvals = new DynamoApprovalStore(db, table);
    this.plans = new DynamoPlanStore(db, table);
  }

  /**
   * The customers that have recommendations. Arbiter has no access path across customers (every
   * key starts with one), so this scans: fine for the local table of one developer, and the only
   * Scan there is; product code in functions/ never scans.
   */
  async customers(): Promise<string[]> {
    const found = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          ProjectionExpression: 'customer_id',
          FilterExpression: 'entity = :r',
          ExpressionAttributeValues: { ':r': 'recommendation' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) found.add(item.customer_id as string);
      start = page.LastEvaluatedKey;
    } while (start);
    return [...found].sort();
  }

  /** Newest first. */
  async listRecommendations(customerIds: readonly string[]): Promise<Recommendation[]> {
    const lists = await Promise.all(customerIds.map((id) => this.allOf(id)));
    return lists.flat().sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
  }

  /** Those still open to votes, soonest to expire first. */
  async pendingApprovals(customerIds: readonly string[], now: Date): Promise<Approval[]> {
    const lists = await Promise.all(customerIds.map((id) => this.approvals.listPending(id, now.toISOString())));
    return lists
      .flat()
      .map(publicApproval)
      .sort((a, b) => a.expires_at.localeCompare(b.expires_at));
  }

  async recommendation(customerId: string, id: string): Promise<RecommendationDetail | undefined> {
    const [recommendation] = await this.recommendations.getRecommendations(customerId, [id]);
    if (!recommendation) return undefined;
    const [approval, plan] = await Promise.all([
      recommendation.approval_id ? this.approvals.getApproval(customerId, recommendation.approval_id) : undefined,
      recommendation.plan_id ? this.plans.getPlan(customerId, recommendation.plan_id) : undefined,
    ]);
    return { recommendation, approval: approval && publicApproval(approval), plan: plan && publicPlan(plan) };
  }

  private async allOf(customerId: string): Promise<Recommendation[]> {
    const all: Recommendation[] = [];
    let next: string | undefined;
    do {
      const page = await this.recommendations.listRecommendations(customerId, { limit: PAGE_SIZE, next });
      all.push(...page.items);
      next = page.next;
    } while (next);
    return all;
  }
}

/** A store on its own client for one request, destroyed after: the console holds no connections between requests. */
export async function withConsoleStore<T>(
  endpoint: string,
  table: string,
  read: (store: ConsoleStore) => Promise<T>,
): Promise<T> {
  const db = documentClient({ endpoint });
  try {
    return await read(new ConsoleStore(db, table));
  } finally {
    db.destroy();
  }
}
