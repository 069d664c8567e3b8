// The "Run step" / "Roll back step" task: a signed request to the step's agent, and delivering its report.

import { NotFound } from '../model/errors.js';
import type { PlanStep } from '../model/records.js';
import { StepFailed, StepTransientError, WORKFLOW_ERRORS } from '../ports/workflow-contract.js';
import { callbackUrl, type StepReport, type StepRequest } from '../protocol/agent-steps.js';
import { type Cursor, cursorFrom, describeStep } from '../rules/plan-progress.js';
import { stepParameters } from '../rules/plans.js';
import { criticalFailure, isGraph } from '../rules/step-graph.js';
import { agentWaitLeftMs, countDispatch, passCircuit } from './agent-circuit.js';
import { loadPlanOf, type StepDeps } from './plan-tasks.js';
import { recordStep, unlessCancelled } from './record-step.js';

/** Results and rollback data travel through the workflow and the plan item; this leaves room for the rest. */
export const MAX_REPORT_BYTES = 64 * 1024;

/** What a report's result and rollback data weigh as the workflow carries them (held to MAX_REPORT_BYTES). */
export function reportOutput(report: Pick<StepReport, 'result' | 'rollback_data'>) {
  const output = { result: report.result ?? {}, rollback_data: report.rollback_data ?? null };
  return { output, bytes: Buffer.byteLength(JSON.stringify(output)) };
}

/** One request may take this long; longer work answers 202 and calls back. */
const MAX_REQUEST_MS = 25_000;

/** Of the step's Step Functions timeout, what the request may use: the rest records the answer before the task times out. */
const REQUEST_SHARE = 0.8;

/** The agent request's timeout: always shorter than the step's task timeout, so an answer that comes is never lost to States.Timeout. */
export function requestTimeoutMs(stepTimeoutSeconds: number): number {
  return Math.min(MAX_REQUEST_MS, Math.floor(stepTimeoutSeconds * 1000 * REQUEST_SHARE));
}

export interface DispatchInput {
  customer_id: string;
  recommendation_id: string;
  mode: 'execute' | 'rollback';
  step_index: number;
  task_token: string;
}

/** "Run step" / "Roll back step" (.waitForTaskToken). */
export async function dispatchStep(
  input: DispatchInput,
  deps: StepDeps,
): Promise<{ dispatched: 'reported' | 'accepted' | 'skipped' | 'agent_unavailable' }> {
  // A rollback sends the step's rollback data; running it needs none of the results.
  const { rec, plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps, input.mode === 'rollback');
  const step = plan.steps[input.step_index];
  if (!step) throw new NotFound(`plan ${plan.id} has no step ${input.step_index}`);
  // A graph's critical failure stops the dispatching; the steps already running finish.
  if (input.mode === 'execute' && step.status === 'pending' && isGraph(plan.steps) && criticalFailure(plan.steps)) {
    await deps.workflow.completeTask(input.task_token, { value: { state: 'skipped' } });
    return { dispatched: 'skipped' };
  }
  // Cancelled while it ran: this step is not dispatched; the run goes to its rollback.
  if (input.mode === 'execute' && step.status === 'pending' && rec.cancel_requested) {
    const cursor = unlessCancelled(rec, cursorFrom(plan, step.index));
    await deps.workflow.completeTask(input.task_token, { value: cursor });
    return { dispatched: 'skipped' };
  }
  if (input.mode === 'execute') {
    const gate = await passCircuit(input.customer_id, step.agent_id, deps);
    if (!gate.go) return waitForAgent(input, rec.id, plan.id, step, gate.wait_seconds, deps);
  }
  const now = deps.clock.now().toISOString();
  await deps.plans.storeStepToken(input.customer_id, plan.id, step.index, input.task_token);
  if (input.mode === 'execute')
    await deps.plans.updateStep(
      input.customer_id,
      plan.id,
      step.index,
      { status: 'running', started_at: step.started_at ?? now },
      ['pending', 'running'],
    );
  const target = deps.resolveTarget(await deps.agents.getAgent(input.customer_id, step.agent_id));
  if (!target) throw new StepFailed(`agent ${step.agent_id} has no endpoint to run ${step.action}`);
  const request: StepRequest = {
    step_id: step.id,
    plan_id: plan.id,
    recommendation_id: plan.recommendation_id,
    customer_id: input.customer_id,
    action: step.action,
    mode: input.mode,
    parameters: stepParameters(rec.parameters, step),
    ...(input.mode === 'rollback' && step.rollback_data ? { rollback_data: step.rollback_data } : {}),
    callback_url: callbackUrl(deps.publicUrl, step.id, input.task_token),
  };
  // Rollbacks bypass the circuit: never gated, and not counted either way. An undo must not wait on a
  // cool-down, and a rollback that got through must not close a circuit without its half-open trial.
  const counted = input.mode === 'execute';
  let dispatch: Awaited<ReturnType<StepDeps['agentClient']['send']>>;
  try {
    dispatch = await deps.agentClient.send(target, request, requestTimeoutMs(step.timeout_seconds));
  } catch (error) {
    if (counted && error instanceof StepTransientError)
      await countDispatch(input.customer_id, step.agent_id, false, deps);
    throw error;
  }
  if (counted) await countDispatch(input.customer_id, step.agent_id, true, deps);
  if (dispatch.kind === 'reported')
    await deliver(input.customer_id, plan.id, step.index, dispatch.report, input.task_token, input.mode, deps);
  return { dispatched: dispatch.kind };
}

/**
 * The step's agent has its circuit open: the task answers at once with how long to wait ("Agent
 * unavailable"), burning no retry; once the step has waited its own timeout, it fails.
 */
async function waitForAgent(
  input: DispatchInput,
  recommendationId: string,
  planId: string,
  step: PlanStep,
  waitSeconds: number,
  deps: StepDeps,
): Promise<{ dispatched: 'agent_unavailable' }> {
  const now = deps.clock.now();
  if (!step.agent_wait_since) {
    await deps.plans.updateStep(input.customer_id, planId, step.index, { agent_wait_since: now.toISOString() }, [
      'pending',
      'running',
    ]);
    await deps.plans.appendHistory(input.customer_id, recommendationId, {
      status: 'executing',
      reason: `${describeStep(step)} waits: agent ${step.agent_id} unavailable (circuit open)`,
      at: now.toISOString(),
    });
  }
  const left = agentWaitLeftMs(step, now);
  if (left <= 0) {
    await deps.workflow.failTask(
      input.task_token,
      WORKFLOW_ERRORS.AgentUnavailable,
      `agent ${step.agent_id} stayed unavailable (circuit open) for the step's timeout of ${step.timeout_seconds} s`,
    );
    return { dispatched: 'agent_unavailable' };
  }
  const wait = Math.max(1, Math.min(waitSeconds, Math.ceil(left / 1000)));
  const cursor: Cursor = {
    index: step.index,
    timeout_seconds: step.timeout_seconds,
    done: false,
    rollback: false,
    state: 'agent_unavailable',
    wait_seconds: wait,
  };
  await deps.workflow.completeTask(input.task_token, { value: cursor });
  return { dispatched: 'agent_unavailable' };
}

/**
 * Hands an agent's report to the waiting workflow task, once. A completed step is recorded here,
 * before its task is answered with the next cursor: the workflow needs no state of its own to
 * record it, and a report that comes after the task timed out is still recorded (the rollback then
 * undoes it). Failures and rollbacks are recorded by the workflow's own states.
 */
export async function deliver(
  customerId: string,
  planId: string,
  index: number,
  report: StepReport,
  answers: string,
  mode: 'execute' | 'rollback',
  deps: Pick<StepDeps, 'recommendations' | 'plans' | 'workflow' | 'clock'>,
): Promise<boolean> {
  const { output, bytes: size } = reportOutput(report);
  const tooBig = report.status === 'completed' && size > MAX_REPORT_BYTES;
  let answer: Record<string, unknown> = output;
  if (mode === 'execute' && report.status === 'completed' && !tooBig) {
    const plan = await deps.plans.getPlan(customerId, planId, { results: false });
    const step = plan?.steps[index];
    // Only the current dispatch's report counts (the token check below is the one that claims it).
    if (!plan || !step || step.task_token !== answers || step.signal_at) return false;
    answer = {
      value: await recordStep(
        {
          customer_id: customerId,
          recommendation_id: plan.recommendation_id,
          event: 'completed',
          step_index: index,
          outcome: output,
        },
        deps,
      ),
    };
  }
  const token = await deps.plans.claimStepSignal(customerId, planId, index, deps.clock.now().toISOString(), answers);
  if (!token) return false;
  if (tooBig) {
    // Step Functions carries at most 256 KiB between states; a bigger result is the agent's bug.
    const signal = await deps.workflow.failTask(
      token,
      WORKFLOW_ERRORS.StepFailed,
      `the agent's result is ${size} bytes; at most ${MAX_REPORT_BYTES} are accepted`,
    );
    return signal === 'sent';
  }
  const signal =
    report.status === 'completed'
      ? await deps.workflow.completeTask(token, answer)
      : await deps.workflow.failTask(token, WORKFLOW_ERRORS.StepFailed, report.error ?? 'the agent reported a failure');
  // already_closed: the task timed out (or its execution ended) before the report came; nothing took it.
  return signal === 'sent';
}
