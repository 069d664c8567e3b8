// The queues of plans waiting for resources: which queues a plan joins, and since when it waits.
import type { Recommendation } from '../model/records.js';

/** The queue of plans waiting for any execution slot of the customer. */
export const SLOT_QUEUE = '#slot';

/** Since when the plan has been waiting for resources: the start of its latest run of waiting_resources entries. */
export function waitingSince(rec: Pick<Recommendation, 'history'>, now: Date): string {
  let since: string | undefined;
  for (const entry of rec.history) since = entry.status === 'waiting_resources' ? (since ?? entry.at) : undefined;
  return since ?? now.toISOString();
}

/** The queue of plans waiting for a slot of one action (the policy's action_limits). */
export const actionQueue = (action: string) => `#action:${action}`;

/**
 * The queues a waiting plan is in: its resources, the slot queue and, when its action is limited, the
 * action's queue. Leaving takes `limited` true: leaving a queue it never joined changes nothing.
 */
export const queuesOf = (rec: Pick<Recommendation, 'affected_resources' | 'action'>, limited = true) => [
  ...new Set(rec.affected_resources),
  SLOT_QUEUE,
  ...(limited ? [actionQueue(rec.action)] : []),
];
