// createAgentHandler: a Node HTTP handler that speaks the agent side of a step. It verifies the
// signed request, runs `execute` or `rollback`, and answers 200 with the report when the work ends
// in time; otherwise (or when the work calls `accept()`) it answers 202 and POSTs the signed report
// to the step's callback URL when the work ends.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StepReport } from '../functions/core/protocol/agent-steps.js';
import { type CallbackOptions, type CallbackOutcome, postCallback } from './callback.js';
import { type Secrets, type StepRequest, secretsOf, verifyStepRequest } from './signing.js';

type JsonObject = Record<string, unknown>;

/** What a step function gives back: a report, or just the result (then the step `completed`). */
export type StepOutcome = StepReport | { result?: JsonObject; rollback_data?: JsonObject };

export interface StepContext {
  /** Answer 202 now: the outcome goes to the callback URL when the work ends. For work known to be long. */
  accept(): void;
  /** Aborted when the handler is closed: long work may stop early (its outcome is then not reported). */
  signal: AbortSignal;
}

export type StepFunction = (step: StepRequest, context: StepContext) => StepOutcome | Promise<StepOutcome>;

export interface AgentHandlerOptions {
  /** The signing secret Arbiter gave at registration; during a rotation's grace period, [new, old]. Callbacks are signed with the first. */
  secret: Secrets | (() => Secrets);
  execute: StepFunction;
  /** Undo a completed step with its `rollback_data`. Without one, a rollback is reported failed. */
  rollback?: StepFunction;
  /**
   * Work still running after this long is answered 202 and reported by callback (default 10 s).
   * Arbiter waits for an answer at most 25 s, or 80% of the step's `timeout_seconds` when shorter.
   */
  respondWithinMs?: number;
  /** Larger requests are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
  callback?: Omit<CallbackOptions, 'signal'>;
  /** Told about each callback once it is delivered or given up. */
  onCallback?(step: StepRequest, outcome: CallbackOutcome): void;
  /** Told when a step function throws (the step is reported failed with the error's message). */
  onError?(step: StepRequest, error: unknown): void;
}

export interface AgentHandler {
  (request: IncomingMessage, response: ServerResponse): void;
  /** Resolves once no step is running and no callback is being sent. */
  idle(): Promise<void>;
  /** Stops callbacks' retries, aborts the work's signal and waits until idle. */
  close(): Promise<void>;
}

const MAX_ERROR_CHARS = 500;

function reportOf(outcome: StepOutcome): StepReport {
  if ('status' in outcome && (outcome.status === 'completed' || outcome.status === 'failed')) return outcome;
  const { result, rollback_data } = outcome as { result?: JsonObject; rollback_data?: JsonObject };
  return { status: 'completed', ...(result ? { result } : {}), ...(rollback_data ? { rollback_data } : {}) };
}

function failure(error: unknown): StepReport {
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'failed', error: message.slice(0, MAX_ERROR_CHARS) || 'the step failed' };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The body's bytes, or undefined when it is larger than `limit` (the rest is drained). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

export function createAgentHandler(options: AgentHandlerOptions): AgentHandler {
  const respondWithinMs = options.respondWithinMs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const secrets = () => secretsOf(typeof options.secret === 'function' ? options.secret() : options.secret);
  const closing = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  function run(step: StepRequest, accept: () => void): Promise<StepReport> {
    const fn = step.mode === 'execute' ? options.execute : options.rollback;
    if (!fn) return Promise.resolve({ status: 'failed', error: `this agent cannot roll back ${step.action}` });
    const context: StepContext = { accept, signal: closing.signal };
    return Promise.resolve()
      .then(() => fn(step, context))
      .then(reportOf, (error: unknown) => {
        options.onError?.(step, error);
        return failure(error);
      });
  }

  async function report(step: StepRequest, work: Promise<StepReport>): Promise<void> {
    const outcome = await postCallback(
      step.callback_url,
      { ...(await work), customer_id: step.customer_id },
      secrets()[0],
      { ...options.callback, signal: closing.signal },
    );
    options.onCallback?.(step, outcome);
  }

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return sendJson(response, 405, { error: 'steps are POSTed' });
    }
    const body = await readBody(request, maxBodyBytes);
    if (!body) return sendJson(response, 413, { error: `the body is larger than ${maxBodyBytes} bytes` });
    const verified = verifyStepRequest(request.headers, body, secrets());
    if (!verified.ok) return sendJson(response, verified.status, { error: verified.error });
    const { step } = verified;
    // Node 20 has no Promise.withResolvers: the resolver is kept by hand.
    let accept = () => {};
    const accepted = new Promise<'accepted'>((resolve) => (accept = () => resolve('accepted')));
    const work = track(run(step, () => accept()));
    const timer = setTimeout(() => accept(), respondWithinMs);
    const first = await Promise.race([work.then(() => 'done' as const), accepted]);
    clearTimeout(timer);
    if (first === 'done') return sendJson(response, 200, await work);
    track(report(step, work));
    sendJson(response, 202, { accepted: step.step_id });
  }

  const handler = ((request: IncomingMessage, response: ServerResponse) => {
    track(answer(request, response)).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: 'the agent could not answer' });
      else response.destroy(error as Error);
    });
  }) as AgentHandler;
  handler.idle = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
  handler.close = async () => {
    closing.abort();
    await handler.idle();
  };
  return handler;
}
