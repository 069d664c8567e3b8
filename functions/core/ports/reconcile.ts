// The ReconcileStore port: what the reconciler reads and claims.
import type { Recommendation } from '../model/records.js';
import type { RecommendationStatus } from '../model/statuses.js';

export type ExecutionState = 'running' | 'ended' | 'missing';

/** What one pass of the reconciler looks at, read in one pass over the table. */
export interface ReconcileSweep {
  /** Every recommendation in one of the statuses asked for, of every customer. */
  inFlight: Recommendation[];
  /** Ended recommendations whose related items may still lack their TTL (the writer died before stamping them). */
  retentionPending: Pick<Recommendation, 'customer_id' | 'id' | 'updated_at'>[];
}

export interface ReconcileStore {
  /** Every recommendation in one of `statuses` (of every customer) and those whose retention is pending, in one pass. */
  sweep(statuses: readonly RecommendationStatus[]): Promise<ReconcileSweep>;
  /** Stamps an ended recommendation's TTL on its related items (idempotent); a no-op for an active one. */
  finishRetention(customerId: string, recommendationId: string): Promise<void>;
  /** How many times this recommendation's workflow was repaired (0: never). */
  repairs(customerId: string, recommendationId: string): Promise<number>;
  /** Moves the count from `seen` to `seen + 1`: true for exactly one caller. */
  claimRepair(customerId: string, recommendationId: string, seen: number, at: string): Promise<boolean>;
}
