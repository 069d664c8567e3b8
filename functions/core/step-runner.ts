// Running and undoing one step: dispatch it to its agent, record what came back, and accept an
// agent's later callback. Every report lands once: the step's task token is claimed before use.
import { createHash } from 'node:crypto';
import { checkSignature, type StepReport, type StepRequest } from './agent-protocol.js';
import type { AgentClient, AgentTarget } from './agents-port.js';
import { StepFailed } from './agents-port.js';
import { NotFound, StateConflict, Unauthenticated } from './errors.js';
import { cursorFrom, describeStep, nextRollback, type Cursor, type RollbackCursor } from './execution.js';
import { loadPlanOf, ResourceBusy, resourceLocks, type GateDeps } from './execution-gate.js';
import { joinQueues, queuesOf, waitingSince, type LockWaiters } from './lock-waiters.js';
import { policyFrom } from './policy.js';
import { hasExpired } from './expiry.js';
import { lockHolder } from './workflow.js';
import type { PlanStep } from './model.js';
import { parseStepId, stepParameters } from './plans.js';
import type { AgentDirectory, AgentRecord, Clock, PlanStore, PolicyStore, RecommendationStore, ResourceLocks, StoredPlan } from './ports.js';
import type { Workflow } from './workflow.js';

export interface StepDeps {
  recommendations: RecommendationStore;
  plans: PlanStore;
  agents: AgentDirectory;
  agentClient: AgentClient;
  /** Where a step goes: its agent's endpoint, or (locally) the simulated agents. */
  resolveTarget: (agent: AgentRecord | undefined) => AgentTarget | undefined;
  workflow: Workflow;
  clock: Clock;
  publicUrl: string;
}

/** Results and rollback data travel through the workflow and the plan item; this leaves room for the rest. */
export const MAX_REPORT_BYTES = 64 * 1024;

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
export async function dispatchStep(input: DispatchInput, deps: StepDeps): Promise<{ dispatched: 'reported' | 'accepted' }> {
  // A rollback sends the step's rollback data; running it needs none of the results.
  const { rec, plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps, input.mode === 'rollback');
  const step = plan.steps[input.step_index];
  if (!step) throw new NotFound(`plan ${plan.id} has no step ${input.step_index}`);
  const now = deps.clock.now().toISOString();
  await deps.plans.storeStepToken(input.customer_id, plan.id, step.index, input.task_token);
  if (input.mode === 'execute') await deps.plans.updateStep(input.customer_id, plan.id, step.index, { status: 'running', started_at: step.started_at ?? now }, ['pending', 'running']);
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
  const dispatch = await deps.agentClient.send(target, request, requestTimeoutMs(step.timeout_seconds));
  if (dispatch.kind === 'reported') await deliver(input.customer_id, plan.id, step.index, dispatch.report, input.task_token, input.mode, deps);
  return { dispatched: dispatch.kind };
}

/**
 * Each dispatch gets its own callback URL: `dispatch` is derived from that dispatch's task token,
 * so a report for an earlier dispatch of the step (the execute answer replayed while its rollback
 * waits, an agent retrying a callback late) never completes the current one.
 */
function dispatchId(taskToken: string): string {
  return createHash('sha256').update(taskToken).digest('base64url').slice(0, 22);
}

export function callbackUrl(publicUrl: string, stepId: string, taskToken: string): string {
  const url = new URL(`coordination/steps/${encodeURIComponent(stepId)}/callback`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  url.searchParams.set('dispatch', dispatchId(taskToken));
  return url.toString();
}

/**
 * Hands an agent's report to the waiting workflow task, once. A completed step is recorded here,
 * before its task is answered with the next cursor: the workflow needs no state of its own to
 * record it, and a report that comes after the task timed out is still recorded (the rollback then
 * undoes it). Failures and rollbacks are recorded by the workflow's own states.
 */
async function deliver(
  customerId: string,
  planId: string,
  index: number,
  report: StepReport,
  answers: string,
  mode: 'execute' | 'rollback',
  deps: Pick<StepDeps, 'recommendations' | 'plans' | 'workflow' | 'clock'>,
): Promise<boolean> {
  const output = { result: report.result ?? {}, rollback_data: report.rollback_data ?? null };
  const size = Buffer.byteLength(JSON.stringify(output));
  const tooBig = report.status === 'completed' && size > MAX_REPORT_BYTES;
  let answer: Record<string, unknown> = output;
  if (mode === 'execute' && report.status === 'completed' && !tooBig) {
    const plan = await deps.plans.getPlan(customerId, planId, { results: false });
    const step = plan?.steps[index];
    // Only the current dispatch's report counts (the token check below is the one that claims it).
    if (!plan || !step || step.task_token !== answers || step.signal_at) return false;
    answer = { value: await recordStep({ customer_id: customerId, recommendation_id: plan.recommendation_id, event: 'completed', step_index: index, outcome: output }, deps) };
  }
  const token = await deps.plans.claimStepSignal(customerId, planId, index, deps.clock.now().toISOString(), answers);
  if (!token) return false;
  if (tooBig) {
    // Step Functions carries at most 256 KiB between states; a bigger result is the agent's bug.
    const signal = await deps.workflow.failTask(token, 'StepFailed', `the agent's result is ${size} bytes; at most ${MAX_REPORT_BYTES} are accepted`);
    return signal === 'sent';
  }
  const signal =
    report.status === 'completed'
      ? await deps.workflow.completeTask(token, answer)
      : await deps.workflow.failTask(token, 'StepFailed', report.error ?? 'the agent reported a failure');
  // already_closed: the task timed out (or its execution ended) before the report came; nothing took it.
  return signal === 'sent';
}

/**
 * The secrets a callback may be signed with: the agent's current one and, while the grace period of
 * its last rotation lasts, the previous one (a step dispatched before the rotation, or an agent not
 * yet redeployed, still reports). The simulated agents have one secret of their own.
 */
function callbackSecrets(target: AgentTarget, agent: AgentRecord | undefined, now: Date): string[] {
  const previous = agent?.previous_signing_secret;
  const until = agent?.previous_signing_secret_until;
  if (target.simulated || !previous || !until || Date.parse(until) <= now.getTime()) return [target.secret];
  return [target.secret, previous];
}

/** POST /coordination/steps/{id}/callback: the agent's signature is the credential. */
export async function acceptCallback(
  stepId: string,
  body: { customer_id: string } & StepReport,
  signed: { raw: string; timestamp?: string; signature?: string; dispatch?: string },
  deps: Pick<StepDeps, 'recommendations' | 'plans' | 'agents' | 'resolveTarget' | 'workflow' | 'clock'>,
): Promise<void> {
  const ref = parseStepId(stepId);
  const plan = ref ? await deps.plans.getPlan(body.customer_id, ref.planId, { results: false }) : undefined;
  const step = ref && plan?.steps[ref.index];
  // Unknown step or wrong secret look the same to the caller: nothing to learn by probing.
  const agent = step ? await deps.agents.getAgent(body.customer_id, step.agent_id) : undefined;
  const target = step ? deps.resolveTarget(agent) : undefined;
  const now = deps.clock.now();
  const verifies = (secret: string) => checkSignature(secret, signed.timestamp, signed.signature, signed.raw, now) === 'valid';
  if (!plan || !step || !target || !callbackSecrets(target, agent, now).some(verifies)) {
    throw new Unauthenticated('the callback signature does not match this step');
  }
  if (!step.task_token || dispatchId(step.task_token) !== signed.dispatch) throw new StateConflict(`this report answers an earlier dispatch of step ${stepId}`);
  // A running step waits for its execution; a completed one for its rollback.
  const mode = step.status === 'running' ? 'execute' : 'rollback';
  if (!(await deliver(body.customer_id, plan.id, step.index, body, step.task_token, mode, deps))) throw new StateConflict(`step ${stepId} is not waiting for a result`);
}

export class NotRunnable extends Error {
  override name = 'NotRunnable';
}

export type StepEvent =
  | { event: 'start' }
  | { event: 'completed'; step_index: number; outcome: { result?: Record<string, unknown>; rollback_data?: Record<string, unknown> | null } }
  | { event: 'failed'; step_index: number; error: { Error?: string; Cause?: string } }
  | { event: 'plan_rollback' }
  | { event: 'rolled_back'; step_index: number; outcome: { result?: Record<string, unknown> } }
  | { event: 'rollback_failed'; step_index: number; error: { Error?: string; Cause?: string } };

/** The "Run steps", "Step completed|failed", "Roll back ..." bookkeeping: record, then say where to go. */
export async function recordStep(input: { customer_id: string; recommendation_id: string } & StepEvent, deps: Pick<StepDeps, 'recommendations' | 'plans' | 'clock'>): Promise<Cursor | RollbackCursor> {
  const { rec, plan } = await loadPlanOf(input.customer_id, input.recommendation_id, deps, false);
  const now = deps.clock.now();
  const at = now.toISOString();
  const c = input.customer_id;
  switch (input.event) {
    case 'start': {
      const started = await deps.plans.startPlan(c, plan.id, {
        id: rec.id,
        from: ['approved', 'waiting_dependencies', 'waiting_resources', 'executing'],
        to: 'executing',
        entry: { status: 'executing', reason: `executing plan ${plan.id} (${plan.steps.length} steps)`, at },
      });
      // Superseded or cancelled just before: its steps must not run (the Catch releases the locks).
      if (started.status !== 'running') throw new NotRunnable(`plan ${plan.id} is ${started.status}: recommendation ${rec.id} is no longer approved`);
      return cursorFrom(started, firstUnfinished(started));
    }
    case 'completed': {
      const step = plan.steps[input.step_index];
      const after = await finishStep(c, plan, step, { status: 'completed', result: input.outcome.result ?? {}, ...(input.outcome.rollback_data ? { rollback_data: input.outcome.rollback_data } : {}) }, now, deps);
      await history(c, rec.id, `${describeStep(step)} completed in ${durationMs(step, now)} ms`, at, deps);
      return cursorFrom(after, step.index + 1);
    }
    case 'failed': {
      const step = plan.steps[input.step_index];
      const error = errorText(input.error);
      const after = await finishStep(c, plan, step, { status: 'failed', error }, now, deps);
      await history(c, rec.id, `${describeStep(step)} failed (${step.critical ? 'critical' : 'not critical, continuing'}): ${error}`, at, deps);
      return step.critical ? { ...cursorFrom(after, step.index + 1), rollback: true } : cursorFrom(after, step.index + 1);
    }
    case 'plan_rollback':
      return nextRollback(plan);
    case 'rolled_back':
    case 'rollback_failed': {
      const step = plan.steps[input.step_index];
      const failed = input.event === 'rollback_failed';
      const fields: Partial<PlanStep> = failed ? { status: 'rollback_failed', error: errorText(input.error) } : { status: 'rolled_back', rollback_result: input.outcome.result ?? {} };
      const after = (await deps.plans.updateStep(c, plan.id, step.index, fields, ['completed'])) ?? plan;
      await history(c, rec.id, `${describeStep(step)} ${failed ? `could not be rolled back: ${errorText(input.error)}` : 'rolled back'}`, at, deps);
      return nextRollback(after);
    }
  }
}

/** The longest a "Wait for resources" waits before it tries again anyway (the safety net for a lost wake-up). */
export const MAX_RESOURCE_WAIT_ROUND_SECONDS = 6 * 3600;

type LockDeps = GateDeps & { locks: ResourceLocks; policies: PolicyStore; lockWaiters?: LockWaiters };

/**
 * "Acquire resource locks": the locks and an execution slot, then the plan marked running and the
 * cursor on its first step, in one task (one state instead of two). Both halves are idempotent.
 * Busy: the cursor says how long to wait (what is left of the policy's max_wait_seconds); past it, gave_up.
 */
export async function acquireAndStart(input: { customer_id: string; recommendation_id: string; execution_name: string }, deps: LockDeps): Promise<Cursor> {
  const [before] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  // Woken (or timed out) after its expires_at: it does not start.
  if (before && hasExpired(before, deps.clock.now())) {
    if (deps.lockWaiters) await deps.lockWaiters.leave(input.customer_id, before.id, queuesOf(before));
    return { index: 0, timeout_seconds: 1, done: false, rollback: false, state: 'expired' };
  }
  try {
    await resourceLocks({ ...input, action: 'acquire' }, deps);
  } catch (error) {
    if (!(error instanceof ResourceBusy)) throw error;
    return waitCursor(input, deps);
  }
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (deps.lockWaiters && rec) await deps.lockWaiters.leave(input.customer_id, rec.id, queuesOf(rec));
  return (await recordStep({ customer_id: input.customer_id, recommendation_id: input.recommendation_id, event: 'start' }, deps)) as Cursor;
}

async function waitCursor(input: { customer_id: string; recommendation_id: string }, deps: LockDeps): Promise<Cursor> {
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (!rec) throw new NotFound(`recommendation ${input.recommendation_id} not found`);
  const now = deps.clock.now();
  const policy = policyFrom(await deps.policies.getPolicy(input.customer_id));
  const left = Date.parse(waitingSince(rec, now)) + policy.max_wait_seconds * 1000 - now.getTime();
  const base = { index: 0, timeout_seconds: 1, done: false, rollback: false };
  if (left <= 0) {
    if (deps.lockWaiters) await deps.lockWaiters.leave(input.customer_id, rec.id, queuesOf(rec));
    return { ...base, state: 'gave_up' };
  }
  return { ...base, state: 'busy', wait_seconds: Math.min(MAX_RESOURCE_WAIT_ROUND_SECONDS, Math.max(1, Math.ceil(left / 1000))) };
}

/**
 * "Wait for resources" (.waitForTaskToken): queue for each resource and for a slot, then look once
 * more (they may have been freed meanwhile): free now answers the task at once, to try again.
 */
export async function awaitResources(input: { customer_id: string; recommendation_id: string; task_token: string }, deps: LockDeps & { lockWaiters: LockWaiters }): Promise<{ queued: boolean }> {
  const [rec] = await deps.recommendations.getRecommendations(input.customer_id, [input.recommendation_id]);
  if (!rec) throw new NotFound(`recommendation ${input.recommendation_id} not found`);
  await joinQueues(rec, input.task_token, deps.clock.now(), deps.lockWaiters);
  const policy = policyFrom(await deps.policies.getPolicy(input.customer_id));
  const probe = await deps.locks.acquire(input.customer_id, lockHolder(rec.customer_id, rec.id), rec.affected_resources, policy.max_concurrent_executions);
  if (!probe.acquired) return { queued: true };
  // Ours now ("Acquire resource locks" takes them again as the same holder): leave the queues and go.
  await deps.lockWaiters.leave(input.customer_id, rec.id, queuesOf(rec));
  await deps.workflow.completeTask(input.task_token, { state: 'retry' });
  return { queued: false };
}

function firstUnfinished(plan: StoredPlan): number {
  const index = plan.steps.findIndex((s) => s.status === 'pending' || s.status === 'running');
  return index === -1 ? plan.steps.length : index;
}

async function finishStep(customerId: string, plan: StoredPlan, step: PlanStep, fields: Partial<PlanStep>, now: Date, deps: Pick<StepDeps, 'plans'>): Promise<StoredPlan> {
  const updated = await deps.plans.updateStep(customerId, plan.id, step.index, { ...fields, completed_at: now.toISOString(), duration_ms: durationMs(step, now) }, ['pending', 'running']);
  // Already recorded by an earlier attempt of this task: the plan as it is.
  return updated ?? (await deps.plans.getPlan(customerId, plan.id, { results: false }))!;
}

function durationMs(step: PlanStep, now: Date): number {
  return step.started_at ? Math.max(0, now.getTime() - Date.parse(step.started_at)) : 0;
}

function errorText(error: { Error?: string; Cause?: string }): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (parsed.errorMessage) return `${error.Error}: ${parsed.errorMessage}`;
  } catch {
    // a plain-text cause
  }
  return [error.Error, cause].filter(Boolean).join(': ') || 'unknown error';
}

async function history(customerId: string, recommendationId: string, reason: string, at: string, deps: Pick<StepDeps, 'plans'>): Promise<void> {
  await deps.plans.appendHistory(customerId, recommendationId, { status: 'executing', reason, at });
}
