// POST /coordination/steps/{id}/callback: an agent reports a step later; its signature is the credential.

import { StateConflict, Unauthenticated } from '../model/errors.js';
import type { Metrics } from '../ports/metrics.js';
import { checkSignature, dispatchId, type StepReport } from '../protocol/agent-steps.js';
import { parseStepId } from '../rules/plans.js';
import { deliver } from './dispatch-step.js';
import type { StepDeps } from './plan-tasks.js';
import { callbackSecrets } from './record-step.js';

/**
 * POST /coordination/steps/{id}/callback: the agent's signature is the credential. A failure reported here is
 * counted as the agent's error (`metrics`): an agent that answered 202 reports it here rather than to the dispatch.
 */
export async function acceptCallback(
  stepId: string,
  body: { customer_id: string } & StepReport,
  signed: { raw: string; timestamp?: string; signature?: string; dispatch?: string },
  deps: Pick<StepDeps, 'recommendations' | 'plans' | 'agents' | 'resolveTarget' | 'workflow' | 'clock'> & {
    metrics?: Metrics;
  },
): Promise<void> {
  const ref = parseStepId(stepId);
  const plan = ref ? await deps.plans.getPlan(body.customer_id, ref.planId, { results: false }) : undefined;
  const step = ref && plan?.steps[ref.index];
  // Unknown step or wrong secret look the same to the caller: nothing to learn by probing.
  const agent = step ? await deps.agents.getAgent(body.customer_id, step.agent_id) : undefined;
  const target = step ? deps.resolveTarget(agent) : undefined;
  const now = deps.clock.now();
  const verifies = (secret: string) =>
    checkSignature(secret, signed.timestamp, signed.signature, signed.raw, now) === 'valid';
  if (!plan || !step || !target || !callbackSecrets(target, agent, now).some(verifies)) {
    throw new Unauthenticated('the callback signature does not match this step');
  }
  if (!step.task_token || dispatchId(step.task_token) !== signed.dispatch)
    throw new StateConflict(`this report answers an earlier dispatch of step ${stepId}`);
  // A running step waits for its execution; a completed one for its rollback.
  const mode = step.status === 'running' ? 'execute' : 'rollback';
  if (!(await deliver(body.customer_id, plan.id, step.index, body, step.task_token, mode, deps)))
    throw new StateConflict(`step ${stepId} is not waiting for a result`);
  if (body.status === 'failed') deps.metrics?.count('AgentErrors');
}
