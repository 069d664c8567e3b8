// A recommendation's statuses and their named groups: every list of statuses is written here once.
import { z } from 'zod';

export const RECOMMENDATION_STATUSES = [
  'pending_approval',
  'approved',
  'rejected',
  'expired',
  'discarded',
  'superseded',
  'waiting_dependencies',
  'waiting_resources',
  'executing',
  'completed',
  'failed',
  'rolled_back',
  'rollback_failed',
  'cancelled',
] as const;

export const RecommendationStatus = z.enum(RECOMMENDATION_STATUSES);

export type RecommendationStatus = z.infer<typeof RecommendationStatus>;

/** Statuses of recommendations that still hold their resources: newcomers are checked against them. */
export const ACTIVE_STATUSES = [
  'pending_approval',
  'approved',
  'waiting_dependencies',
  'waiting_resources',
  'executing',
] as const satisfies readonly RecommendationStatus[];

/** Statuses in which a plan has not started yet. */
export const BEFORE_RUN = ['approved', 'waiting_dependencies', 'waiting_resources'] as const;

/** Statuses a workflow still has to end. */
export const IN_FLIGHT: readonly RecommendationStatus[] = [
  'pending_approval',
  'approved',
  'waiting_dependencies',
  'executing',
  'waiting_resources',
] as RecommendationStatus[];
