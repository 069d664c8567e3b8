// A recommendation's statuses and their named groups: every list of statuses is written here once.
// Every status is in exactly one of ACTIVE_STATUSES, `completed` and ENDED_WITHOUT_COMPLETING.
import * as z from 'zod';

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
export const BEFORE_RUN = [
  'approved',
  'waiting_dependencies',
  'waiting_resources',
] as const satisfies readonly RecommendationStatus[];

/** Active, and not running yet: an owner's cancel ends it at once. */
export const NOT_STARTED = ['pending_approval', ...BEFORE_RUN] as const satisfies readonly RecommendationStatus[];

/** Statuses of a recommendation whose plan exists and has not ended: about to run, or running. */
export const PLAN_UNDER_WAY = [...BEFORE_RUN, 'executing'] as const satisfies readonly RecommendationStatus[];

/** Not started, and still short of its dependencies: a dependent in these can be called off. */
export const CANCELLABLE_STATUSES = [
  'pending_approval',
  'approved',
  'waiting_dependencies',
] as const satisfies readonly RecommendationStatus[];

/** Ended, and not completed: a dependency in one of these will never complete, so its dependents are cancelled. */
export const ENDED_WITHOUT_COMPLETING = [
  'rejected',
  'expired',
  'discarded',
  'superseded',
  'failed',
  'rolled_back',
  'rollback_failed',
  'cancelled',
] as const satisfies readonly RecommendationStatus[];

/** Every status a recommendation never leaves. */
export const TERMINAL_STATUSES = [
  ...ENDED_WITHOUT_COMPLETING,
  'completed',
] as const satisfies readonly RecommendationStatus[];

/**
 * Endings a recommendation can reach before its plan ran (all but the two only a rollback leads to);
 * `failed` is also an ending after a run, which is why a plan's own status is checked with it.
 */
export const ENDINGS_BEFORE_RUN = [
  'superseded',
  'rejected',
  'expired',
  'cancelled',
  'discarded',
  'failed',
] as const satisfies readonly RecommendationStatus[];

/** Whether `status` is one of `group`: a group is narrower than RecommendationStatus, and statuses are read as strings. */
export function inGroup<S extends RecommendationStatus>(group: readonly S[], status: string): status is S {
  return (group as readonly string[]).includes(status);
}

/** In ACTIVE_STATUSES: still holds its resources. */
export const isActive = (status: string) => inGroup(ACTIVE_STATUSES, status);

/** In ENDED_WITHOUT_COMPLETING: will never complete. */
export const endedWithoutCompleting = (status: string) => inGroup(ENDED_WITHOUT_COMPLETING, status);
