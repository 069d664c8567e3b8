// Dispatches a plan step to an agent as a signed POST (functions/core/protocol/agent-steps.ts) and sorts
// its answer for the workflow: a report, "accepted" (the agent calls back), StepFailed (refused:
// not retried) or StepTransientError (unavailable: retried with backoff by the ASL).

import type { AgentClient, AgentTarget, Dispatch } from '../core/ports/agent-client.js';
import type { AgentRecord, Metrics } from '../core/ports/index.js';
import { StepFailed, StepTransientError } from '../core/ports/workflow-contract.js';
import { describeIssues, StepReportSchema, type StepRequest, signedHeaders } from '../core/protocol/agent-steps.js';
import { systemClock } from './system-clock.js';
import { inSubsegment } from './xray.js';

/** A report is stored with the plan and passed through the workflow: anything bigger is a broken agent. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Agents' error texts land in the plan and in the workflow's history (its error cause holds 32 KiB). */
const MAX_ERROR_CHARS = 500;

export interface HttpAgentClientOptions {
  now?: () => Date;
  maxResponseBytes?: number;
  /** Counts failed calls (AgentErrors) and those the workflow retries (AgentRetries). */
  metrics?: Metrics;
}

interface Answer {
  status: number;
  location: string | null;
  text: string;
  truncated: boolean;
}

export class HttpAgentClient implements AgentClient {
  private readonly now: () => Date;
  private readonly maxResponseBytes: number;
  private readonly metrics?: Metrics;

  constructor(options: HttpAgentClientOptions = {}) {
    this.now = options.now ?? (() => systemClock.now());
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.metrics = options.metrics;
  }

  async send(target: AgentTarget, request: StepRequest, timeoutMs: number): Promise<Dispatch> {
    try {
      const url = agentUrl(target.endpoint);
      const body = JSON.stringify(request);
      // Its own X-Ray subsegment, named after the agent's host, so a trace shows the agent's share of a step.
      const answer = await inSubsegment(
        url.host,
        'remote',
        () => this.post(url, body, target.secret, timeoutMs),
        ({ result }) => ({
          http: {
            request: { method: 'POST', url: `${url.origin}${url.pathname}` },
            ...(result ? { response: { status: result.status } } : {}),
          },
          status: result?.status,
        }),
      );
      const dispatch = classify(answer, `agent at ${url.host}`, this.maxResponseBytes);
      if (dispatch.kind === 'reported' && dispatch.report.status === 'failed') this.metrics?.count('AgentErrors');
      return dispatch;
    } catch (error) {
      this.metrics?.count('AgentErrors');
      // The ASL retries a StepTransientError with backoff, unless its attempts are spent: an upper bound.
      if (error instanceof StepTransientError) this.metrics?.count('AgentRetries');
      throw error;
    }
  }

  private async post(url: URL, body: string, secret: string, timeoutMs: number): Promise<Answer> {
    // One signal for the whole exchange: an agent that sends its headers and then stalls times out too.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // 'manual': a redirect is answered, never followed, so a signed step cannot be bounced to another host.
      const response = await fetch(url, {
        method: 'POST',
        headers: signedHeaders(secret, body, this.now()),
        body,
        redirect: 'manual',
        signal,
      });
      const { text, truncated } = await readCapped(response, this.maxResponseBytes);
      return { status: response.status, location: response.headers.get('location'), text, truncated };
    } catch (error) {
      throw unreachable(error, url, timeoutMs);
    }
  }
}

function agentUrl(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new StepFailed(`agent endpoint is not a URL: ${endpoint.slice(0, 200)}`);
  }
  // fetch also reads data: and blob: URLs, which would let an endpoint answer for itself.
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new StepFailed(`agent endpoint must be http(s), not ${url.protocol}`);
  return url;
}

function unreachable(error: unknown, url: URL, timeoutMs: number): StepTransientError {
  if (error instanceof Error && error.name === 'TimeoutError')
    return new StepTransientError(`agent at ${url.host} did not answer within ${timeoutMs} ms`);
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED, ECONNRESET…) in the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return new StepTransientError(`agent at ${url.host} unreachable: ${reason}`);
}

async function readCapped(response: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      await reader.cancel().catch(() => undefined); // the rest is not wanted; a failed cancel changes nothing
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}

function classify(answer: Answer, who: string, limit: number): Dispatch {
  const { status } = answer;
  if (status === 200) return { kind: 'reported', report: parseReport(answer, who, limit) };
  if (status === 202) return { kind: 'accepted' };
  const said = `${who} answered ${status}${agentError(answer.text)}`;
  // 408 and 429 are the agent asking to be asked again later, like a 5xx.
  if (status >= 500 || status === 429 || status === 408) throw new StepTransientError(said);
  if (status >= 300 && status < 400)
    throw new StepFailed(`${said} (a redirect to ${answer.location ?? 'nowhere'}; redirects are not followed)`);
  throw new StepFailed(said);
}

function parseReport(answer: Answer, who: string, limit: number) {
  if (answer.truncated) throw new StepFailed(`${who} answered 200 with a report larger than ${limit} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    throw new StepFailed(`${who} answered 200 with a body that is not JSON: ${snippet(answer.text)}`);
  }
  const parsed = StepReportSchema.safeParse(json);
  if (!parsed.success)
    throw new StepFailed(`${who} answered 200 with a malformed report: ${snippet(describeIssues(parsed.error))}`);
  return parsed.data;
}

/** ": <the agent's error>" from a JSON `{error}` body, else from its text; "" when it said nothing. */
function agentError(text: string): string {
  let said = text;
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === 'object' && typeof (json as { error?: unknown }).error === 'string')
      said = (json as { error: string }).error;
  } catch {
    // not JSON: its text, if any, is the explanation
  }
  const trimmed = snippet(said);
  return trimmed ? `: ${trimmed}` : '';
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_ERROR_CHARS ? `${flat.slice(0, MAX_ERROR_CHARS)}…` : flat;
}

export interface SimulatedAgents {
  url: string;
  secret: string;
}

/** The local stack's simulated agents, when its environment names them (never on AWS). */
export function simulatedAgents(environment: {
  SIMULATED_AGENTS_URL?: string;
  SIMULATED_AGENTS_SECRET?: string;
}): SimulatedAgents | undefined {
  const { SIMULATED_AGENTS_URL: url, SIMULATED_AGENTS_SECRET: secret } = environment;
  return url && secret ? { url, secret } : undefined;
}

/**
 * Where a step of this agent goes and which secret signs it (and verifies its callback): the
 * agent's own endpoint; else, on the local stack, the simulated agents; else nowhere (undefined:
 * the caller fails the step, "agent X has no endpoint").
 */
export function resolveAgentTarget(
  agent: AgentRecord | undefined,
  simulated?: SimulatedAgents,
): AgentTarget | undefined {
  if (agent?.endpoint_url) return { endpoint: agent.endpoint_url, secret: agent.signing_secret, simulated: false };
  if (simulated) return { endpoint: simulated.url, secret: simulated.secret, simulated: true };
  return undefined;
}
