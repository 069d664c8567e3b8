// Retention of ended recommendations (issue 9 §11): a terminal recommendation, with its approval,
// plan and history, is kept for the policy's retention_days from the moment it ended, then DynamoDB's
// TTL deletes it. Active ones carry no expiry. DynamoDB deletes lazily (up to days late), so every
// read treats an item whose expiry has passed as gone.
import { inGroup, TERMINAL_STATUSES } from '../model/statuses.js';

const DAY_SECONDS = 86_400;

/** The TTL (epoch seconds) of a recommendation that ended at `endedAt`. */
export function retentionExpiry(endedAt: string, retentionDays: number): number {
  return Math.ceil(Date.parse(endedAt) / 1000) + retentionDays * DAY_SECONDS;
}

/** Whether an item with this TTL is gone at `now`; an item without one never expires. */
export function isExpired(ttl: unknown, now: Date): boolean {
  return typeof ttl === 'number' && ttl <= Math.floor(now.getTime() / 1000);
}

/** A status the recommendation never leaves: from then on it is retained, not kept. */
export const isRetained = (status: string) => inGroup(TERMINAL_STATUSES, status);
