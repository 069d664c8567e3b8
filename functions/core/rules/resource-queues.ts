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

export const queuesOf = (rec: Pick<Recommendation, 'affected_resources'>) => [
  ...new Set(rec.affected_resources),
  SLOT_QUEUE,
];
