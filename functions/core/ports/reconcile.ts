// The ReconcileStore port: what the reconciler reads and claims.
import type { Recommendation } from '../model/records.js';
import type { RecommendationStatus } from '../model/statuses.js';

export type ExecutionState = 'running' | 'ended' | 'missing';

export interface ReconcileStore {
  /** Every recommendation in one of `statuses`, of every customer. */
  inFlight(statuses: readonly RecommendationStatus[]): Promise<Recommendation[]>;
  /** How many times this recommendation's workflow was repaired (0: never). */
  repairs(customerId: string, recommendationId: string): Promise<number>;
  /** Moves the count from `seen` to `seen + 1`: true for exactly one caller. */
  claimRepair(customerId: string, recommendationId: string, seen: number, at: string): Promise<boolean>;
}
