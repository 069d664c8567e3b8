// Simulated agents for the local stack: one HTTP server that speaks the agent protocol
// (functions/core/protocol/agent-steps.ts) for every agent without an endpoint. It checks the step's
// signature, performs the seed's actions (actions.ts), misbehaves on request (simulate.ts), and
// keeps a record of every request for tests and the console.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkSignature,
  describeIssues,
  SIGNATURE_HEADER,
  type StepReport,
  type StepRequest,
  StepRequestSchema,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';
import { type StandInReply, type StandInRequest, startStandInServer } from '../stand-in-server.js';
import { perform } from './actions.js';
import { type CallbackOutcome, sendCallback } from './callback.js';
import { parseSimulation, type Simulation } from './simulate.js';

export { AGENTS_PATH, agentRoutes } from './routes.js';
export { MAX_DELAY_MS } from './simulate.js';

export interface AgentRequestRecord {
  /** Empty when the request was too broken to name them. */
  step_id: string;
  action: string;
  mode: string;
  at: string;
  /** The HTTP status the agent answered; 0 while it is still delaying its answer. */
  answered: number;
  /** What it reported, in its answer or (async) in its callback. */
  report?: StepReport;
  /** How the callback went, once it was sent. */
  callback?: CallbackOutcome;
}

export interface SimulatedAgentsServer {
  url: string;
  secret: string;
  /** Every request, oldest first; callbacks fill in their outcome later. */
  requests: AgentRequestRecord[];
  close(): Promise<void>;
}

export interface SimulatedAgentsOptions {
  /** Default 0: a free port. */
  port?: number;
  secret: string;
}

export function generateAgentsSecret(): string {
  return `arb_sim_${randomBytes(32).toString('base64url')}`;
}

const json = (statusCode: number, body: unknown): StandInReply => ({
  statusCode,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

/** Whatever of step_id/action/mode a request carries, to record even a refused one. */
function looseFields(body: string): Pick<AgentRequestRecord, 'step_id' | 'action' | 'mode'> {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    // not JSON: nothing to name
  }
  const text = (key: string) => (typeof parsed[key] === 'string' ? (parsed[key] as string) : '');
  return { step_id: text('step_id'), action: text('action'), mode: text('mode') };
}

export async function startSimulatedAgents(options: SimulatedAgentsOptions): Promise<SimulatedAgentsServer> {
  const { secret } = options;
  const requests: AgentRequestRecord[] = [];
  /** 503s answered so far, per step. */
  const transientAnswers = new Map<string, number>();
  const stopping = new AbortController();
  const pendingCallbacks = new Set<Promise<void>>();

  /** Waits out a simulated delay; cut short when the server closes. */
  const delay = (ms: number) =>
    ms > 0 ? sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined) : Promise.resolve();

  function callBackLater(request: StepRequest, simulation: Simulation, record: AgentRequestRecord): void {
    const report = perform(request, simulation);
    record.report = report;
    const sent = delay(simulation.delay_ms)
      .then(() =>
        stopping.signal.aborted
          ? undefined
          : sendCallback(
              request.callback_url,
              secret,
              { ...report, customer_id: request.customer_id },
              stopping.signal,
            ),
      )
      .then((outcome) => {
        record.callback = outcome;
      })
      .finally(() => pendingCallbacks.delete(sent));
    pendingCallbacks.add(sent);
  }

  /** The answer to a signed, well-formed step; `record` is what the request log will show. */
  async function answerStep(request: StepRequest, record: AgentRequestRecord): Promise<StandInReply> {
    const parsed = parseSimulation(request.parameters);
    if ('error' in parsed) return json(400, { error: parsed.error });
    const { simulation } = parsed;
    if (request.mode === 'execute' && simulation.unavailable_steps.includes(request.action))
      return json(503, { error: `simulated unavailable agent for ${request.action}` });
    const failuresSoFar = transientAnswers.get(request.step_id) ?? 0;
    if (failuresSoFar < simulation.transient_failures) {
      transientAnswers.set(request.step_id, failuresSoFar + 1);
      return json(503, {
        error: `simulated transient failure ${failuresSoFar + 1} of ${simulation.transient_failures}`,
      });
    }
    if (simulation.async) {
      callBackLater(request, simulation, record);
      return json(202, { accepted: request.step_id });
    }
    await delay(simulation.delay_ms);
    record.report = perform(request, simulation);
    return json(200, record.report);
  }

  async function answerRequest(
    { method, headers, body }: StandInRequest,
    record: AgentRequestRecord,
  ): Promise<StandInReply> {
    if (method !== 'POST') return json(405, { error: 'agents take steps as POST' });
    const signature = checkSignature(
      secret,
      headers[TIMESTAMP_HEADER] as string | undefined,
      headers[SIGNATURE_HEADER] as string | undefined,
      body,
      new Date(),
    );
    if (signature !== 'valid') return json(401, { error: `${signature} signature` });
    let parsed: ReturnType<typeof StepRequestSchema.safeParse>;
    try {
      parsed = StepRequestSchema.safeParse(JSON.parse(body));
    } catch {
      return json(400, { error: 'the body is not JSON' });
    }
    if (!parsed.success) return json(400, { error: describeIssues(parsed.error) });
    return answerStep(parsed.data, record);
  }

  async function answer(request: StandInRequest): Promise<StandInReply> {
    const record: AgentRequestRecord = { ...looseFields(request.body), at: new Date().toISOString(), answered: 0 };
    requests.push(record);
    const reply = await answerRequest(request, record);
    record.answered = reply.statusCode;
    return reply;
  }

  const server = await startStandInServer('agents', options.port ?? 0, answer);
  return {
    url: server.endpoint,
    secret,
    requests,
    async close() {
      stopping.abort();
      await Promise.all(pendingCallbacks);
      await server.close();
    },
  };
}
