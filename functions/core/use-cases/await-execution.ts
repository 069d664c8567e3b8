// The "Wait for execution request" task.

import { type GateDeps, loadPlanOf } from './plan-tasks.js';
import { signalExecution } from './request-execution.js';

/** The "Wait for execution request" task: keep the token; if the request came first, answer it now. */
export async function awaitExecution(
  input: { customer_id: string; recommendation_id: string; task_token: string },
  deps: GateDeps,
): Promise<void> {
  const { plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps, false);
  await deps.plans.storeExecutionToken(input.customer_id, plan.id, input.task_token);
  await signalExecution(input.customer_id, plan.id, deps);
}
