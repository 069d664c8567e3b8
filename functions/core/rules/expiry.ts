// A plan that never started must not stay claimable forever (issue 13 §1, §4, §8): when the
// recommendation's expires_at passes, or nobody asks to execute an approved plan within the
// policy's execute_within_seconds, it ends `expired` with the reason, its plan `cancelled` with every
// step `skipped`, and whoever waits on it is told. A plan already running finishes.
import type { Recommendation, StoredPlan } from '../model/records.js';
import type { Policy } from './policy.js';

/** When an approved plan that was never asked for stops being executable: approval + execute_within, capped by expires_at. */
export function idleDeadline(rec: Recommendation, policy: Pick<Policy, 'execute_within_seconds'>): number {
  const approvedAt = Date.parse([...rec.history].reverse().find((h) => h.status === 'approved')?.at ?? rec.updated_at);
  const idle = approvedAt + policy.execute_within_seconds * 1000;
  return rec.expires_at ? Math.min(idle, Date.parse(rec.expires_at)) : idle;
}

export function hasExpired(rec: Pick<Recommendation, 'expires_at'>, now: Date): boolean {
  return rec.expires_at !== undefined && Date.parse(rec.expires_at) <= now.getTime();
}

/** Why a plan that never ran ended: the recommendation's own expiry first, else the idle limit. */
export function expiryReason(
  rec: Recommendation,
  plan: Pick<StoredPlan, 'execution_requested_at'>,
  policy: Pick<Policy, 'execute_within_seconds'>,
  now: Date,
): string {
  if (hasExpired(rec, now)) return `expired: expires_at ${rec.expires_at} passed before the plan started`;
  const notAfter = rec.window?.not_after;
  if (notAfter && Date.parse(notAfter) <= now.getTime())
    return `expired: its window closed at ${notAfter} before the plan could start`;
  if (!plan.execution_requested_at && idleDeadline(rec, policy) <= now.getTime()) {
    return `expired: not executed within ${policy.execute_within_seconds} s of its approval (the policy's execute_within_seconds); its resources are free again`;
  }
  return 'expired: nobody asked for the execution while the workflow waited for it';
}
