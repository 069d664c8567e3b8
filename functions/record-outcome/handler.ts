// Workflow tasks "Record rejection|supersession|expiry", "Record outcome" and "Release locks and
// record completion": receive the Payload of the ASL.
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { OUTCOMES, recordOutcome } from '../core/use-cases/record-outcome.js';
import { releaseAndRecord } from '../core/use-cases/release-and-record.js';
import { notifier } from '../shared/notifier.js';
import { countOutcome } from '../shared/outcome-metrics.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  approval_id: Identifier.nullable(),
  outcome: z.enum(OUTCOMES),
  /** "Release locks and record completion": free the plan's locks first. */
  release_locks: z.literal(true).optional(),
});

const deps = once(() => ({ ...stores(), clock, ids, workflow, notifier }));

export const handler = taskHandler(Input, async ({ release_locks, ...input }) => {
  const recorded = release_locks ? await releaseAndRecord(input, deps()) : await recordOutcome(input, deps());
  countOutcome(input, recorded);
  return recorded;
});
