// The "Release locks and record completion" task.

import type { PolicyStore } from '../ports/index.js';
import type { ResourceLocks } from '../ports/resource-locks.js';
import { lockHolder } from '../ports/workflow.js';
import type { GateDeps } from './plan-tasks.js';
import { type OutcomeDeps, type OutcomeInput, recordOutcome } from './record-outcome.js';
import { resourceLocks } from './resource-locks.js';

/**
 * "Release locks and record completion": the end of a plan that ran every step, in one task (one
 * state instead of three). Releasing is idempotent, so a retry of this task changes nothing more.
 */
export async function releaseAndRecord(
  input: OutcomeInput,
  deps: OutcomeDeps & GateDeps & { locks: ResourceLocks; policies: PolicyStore },
): Promise<{ changed: boolean; outcome: string }> {
  await resourceLocks(
    {
      customer_id: input.customer_id,
      recommendation_id: input.recommendation_id,
      action: 'release',
      execution_name: lockHolder(input.customer_id, input.recommendation_id),
    },
    deps,
  );
  return recordOutcome(input, deps);
}
