// HttpAgentClient over real HTTP: against the simulated agents, and against small servers that
// answer each way an agent can, to check what the workflow is told (report, accepted, StepFailed
// that is not retried, StepTransientError that is).
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpAgentClient,
  MAX_RESPONSE_BYTES,
  resolveAgentTarget,
  simulatedAgents,
} from '../../functions/adapters/agent-client.js';
import type { AgentTarget } from '../../functions/core/ports/agent-client.js';
import type { AgentRecord } from '../../functions/core/ports/index.js';
import { StepFailed, StepTransientError } from '../../functions/core/ports/workflow-contract.js';
import {
  checkSignature,
  SIGNATURE_HEADER,
  type StepRequest,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';
import { type SimulatedAgentsServer, startSimulatedAgents } from '../../local/agents/index.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Route = (res: ServerResponse) => void;

/** A server answering each path its own way, keeping what it received. */
async function startAgentServer(routes: Record<string, Route>) {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const path = req.url ?? '/';
    received.push({
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    (routes[path] ?? ((r) => r.writeHead(404).end()))(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}): Route =>
  (res) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(typeof body === 'string' ? body : JSON.stringify(body));

const secret = 'arb_sign_test_secret_0123456789';
const client = new HttpAgentClient();

function stepRequest(action: string, parameters: Record<string, unknown> = {}): StepRequest {
  return {
    step_id: `plan-${action}-${Math.random().toString(36).slice(2)}-s1`,
    plan_id: 'plan-1',
    recommendation_id: 'rec-008',
    customer_id: 'customer-1',
    action,
    mode: 'execute',
    parameters,
    callback_url: 'http://127.0.0.1:9/coordination/steps/plan-1-s1/callback',
  };
}

let agent: Awaited<ReturnType<typeof startAgentServer>>;
let elsewhere: Awaited<ReturnType<typeof startAgentServer>>;
let simulated: SimulatedAgentsServer;

const at = (path: string, key = secret): AgentTarget => ({
  endpoint: `${agent.url}${path}`,
  secret: key,
  simulated: false,
});
const send = (path: string, timeoutMs = 5_000) => client.send(at(path), stepRequest('take_snapshot'), timeoutMs);

beforeAll(async () => {
  elsewhere = await startAgentServer({ '/steal': reply(200, { status: 'completed' }) });
  agent = await startAgentServer({
    '/completed': reply(200, {
      status: 'completed',
      result: { snapshot_id: 'snap-1' },
      rollback_data: { snapshot_id: 'snap-1' },
    }),
    '/failed': reply(200, { status: 'failed', error: 'disk full' }),
    '/accepted': reply(202, ''),
    '/bad-request': reply(400, { error: 'unknown action take_snapshot' }),
    '/forbidden-text': (res) => res.writeHead(403, { 'content-type': 'text/plain' }).end('  go\n away '),
    '/boom': reply(500, { error: 'database down' }),
    '/throttled': reply(429, ''),
    '/hang': () => undefined,
    '/stall-body': (res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"status":'),
    '/malformed': reply(200, { status: 'done', result: [1, 2] }),
    '/not-json': reply(200, 'ok'),
    '/huge': reply(200, { status: 'completed', result: { padding: 'x'.repeat(MAX_RESPONSE_BYTES) } }),
    '/redirect': reply(307, '', { location: `${elsewhere.url}/steal` }),
    '/no-content': (res) => res.writeHead(204).end(),
  });
  simulated = await startSimulatedAgents({ secret });
});

afterAll(async () => {
  await Promise.all([agent?.close(), elsewhere?.close(), simulated?.close()]);
});

describe('HttpAgentClient.send', () => {
  it('POSTs the step as JSON, signed with the target secret', async () => {
    const request = stepRequest('take_snapshot', { region: 'eu-west-1' });
    await client.send(at('/completed'), request, 5_000);
    const seen = agent.received.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual(request);
    expect(
      checkSignature(
        secret,
        seen.headers[TIMESTAMP_HEADER] as string,
        seen.headers[SIGNATURE_HEADER] as string,
        seen.body,
        new Date(),
      ),
    ).toBe('valid');
  });

  it('returns a 200 report, completed or failed (a failed report is an answer, not an error)', async () => {
    expect(await send('/completed')).toEqual({
      kind: 'reported',
      report: { status: 'completed', result: { snapshot_id: 'snap-1' }, rollback_data: { snapshot_id: 'snap-1' } },
    });
    expect(await send('/failed')).toEqual({ kind: 'reported', report: { status: 'failed', error: 'disk full' } });
  });

  it('returns accepted on 202: the agent will call back', async () => {
    expect(await send('/accepted')).toEqual({ kind: 'accepted' });
  });

  it('fails the step on a 4xx, with the agent error text', async () => {
    await expect(send('/bad-request')).rejects.toThrow(
      new StepFailed(`agent at ${new URL(agent.url).host} answered 400: unknown action take_snapshot`),
    );
    await expect(send('/forbidden-text')).rejects.toThrow(/answered 403: go away$/);
    await expect(send('/nowhere')).rejects.toSatisfy(
      (e: Error) => e instanceof StepFailed && e.name === 'StepFailed' && /answered 404$/.test(e.message),
    );
  });

  it('fails the step on a malformed, non-JSON or oversized 200 body, saying what is wrong', async () => {
    await expect(send('/malformed')).rejects.toThrow(/answered 200 with a malformed report: status: .*; result: /);
    await expect(send('/not-json')).rejects.toThrow(
      new StepFailed(`agent at ${new URL(agent.url).host} answered 200 with a body that is not JSON: ok`),
    );
    await expect(send('/huge')).rejects.toThrow(
      new StepFailed(
        `agent at ${new URL(agent.url).host} answered 200 with a report larger than ${MAX_RESPONSE_BYTES} bytes`,
      ),
    );
  });

  it('fails the step on other statuses it does not expect', async () => {
    await expect(send('/no-content')).rejects.toThrow(StepFailed);
  });

  it('refuses to follow a redirect, so the signed step never reaches another host', async () => {
    await expect(send('/redirect')).rejects.toThrow(
      new StepFailed(
        `agent at ${new URL(agent.url).host} answered 307 (a redirect to ${elsewhere.url}/steal; redirects are not followed)`,
      ),
    );
    expect(elsewhere.received).toEqual([]);
  });

  it('calls 5xx and 429 transient: worth retrying', async () => {
    await expect(send('/boom')).rejects.toSatisfy(
      (e: Error) =>
        e instanceof StepTransientError &&
        e.name === 'StepTransientError' &&
        /answered 500: database down$/.test(e.message),
    );
    await expect(send('/throttled')).rejects.toThrow(
      new StepTransientError(`agent at ${new URL(agent.url).host} answered 429`),
    );
  });

  it('calls an agent that does not answer in time transient, also when it stalls mid-body', async () => {
    await expect(send('/hang', 200)).rejects.toThrow(
      new StepTransientError(`agent at ${new URL(agent.url).host} did not answer within 200 ms`),
    );
    await expect(send('/stall-body', 200)).rejects.toThrow(StepTransientError);
  });

  it('calls an unreachable agent transient', async () => {
    const gone = await startAgentServer({});
    await gone.close();
    await expect(
      client.send({ endpoint: gone.url, secret, simulated: false }, stepRequest('x'), 5_000),
    ).rejects.toThrow(new StepTransientError(`agent at ${new URL(gone.url).host} unreachable: ECONNREFUSED`));
  });

  it('refuses endpoints that are not http(s) URLs', async () => {
    const target = (endpoint: string): AgentTarget => ({ endpoint, secret, simulated: false });
    await expect(
      client.send(target('data:application/json,{"status":"completed"}'), stepRequest('x'), 5_000),
    ).rejects.toThrow(new StepFailed('agent endpoint must be http(s), not data:'));
    await expect(client.send(target('not a url'), stepRequest('x'), 5_000)).rejects.toThrow(StepFailed);
  });
});

describe('HttpAgentClient against the simulated agents', () => {
  const target = (): AgentTarget => ({ endpoint: simulated.url, secret, simulated: true });

  it('gets the seed result of a step', async () => {
    const dispatch = await client.send(target(), stepRequest('take_snapshot'), 5_000);
    expect(dispatch).toEqual({
      kind: 'reported',
      report: {
        status: 'completed',
        result: { snapshot_id: expect.stringMatching(/^snap-[0-9a-f]{8}$/), size_gb: 100 },
        rollback_data: { snapshot_id: expect.any(String) },
      },
    });
  });

  it('is refused (401, not retried) when it signs with another secret', async () => {
    await expect(
      client.send({ ...target(), secret: 'arb_sign_someone_else_000000' }, stepRequest('take_snapshot'), 5_000),
    ).rejects.toThrow(/^agent at .* answered 401: forged signature$/);
  });

  it('is told to retry while the agent simulates transient failures, then gets the report', async () => {
    const request = stepRequest('scale_resources', { simulate: { transient_failures: 1 } });
    await expect(client.send(target(), request, 5_000)).rejects.toThrow(StepTransientError);
    expect(await client.send(target(), request, 5_000)).toMatchObject({
      kind: 'reported',
      report: { status: 'completed' },
    });
  });

  it('is told the step was accepted when the agent works asynchronously', async () => {
    expect(
      await client.send(target(), stepRequest('migrate_workload', { simulate: { async: true, delay_ms: 0 } }), 5_000),
    ).toEqual({ kind: 'accepted' });
  });
});

describe('resolveAgentTarget', () => {
  const registered = (endpoint_url?: string): AgentRecord => ({
    agent_id: 'cost-agent-1',
    customer_id: 'customer-1',
    endpoint_url,
    signing_secret: 'own-secret',
    created_at: '2026-11-02T10:00:00Z',
  });
  const local = { url: 'http://127.0.0.1:4000', secret: 'simulated-secret' };

  it('sends to the agent endpoint, signed with its own secret, whenever it has one', () => {
    expect(resolveAgentTarget(registered('https://agent.example/steps'), local)).toEqual({
      endpoint: 'https://agent.example/steps',
      secret: 'own-secret',
      simulated: false,
    });
  });

  it('falls back to the simulated agents for an agent without endpoint, or an unregistered one', () => {
    const fallback = { endpoint: local.url, secret: local.secret, simulated: true };
    expect(resolveAgentTarget(registered(), local)).toEqual(fallback);
    expect(resolveAgentTarget(undefined, local)).toEqual(fallback);
  });

  it('finds no target without endpoint and without simulated agents (AWS)', () => {
    expect(resolveAgentTarget(registered(), undefined)).toBeUndefined();
    expect(resolveAgentTarget(undefined)).toBeUndefined();
  });

  it('takes the simulated agents from the environment only when both URL and secret are set', () => {
    expect(simulatedAgents({ SIMULATED_AGENTS_URL: local.url, SIMULATED_AGENTS_SECRET: local.secret })).toEqual(local);
    expect(simulatedAgents({ SIMULATED_AGENTS_URL: local.url })).toBeUndefined();
    expect(simulatedAgents({})).toBeUndefined();
  });
});
