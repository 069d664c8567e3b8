// The simulated agents over HTTP, as Arbiter (or a curious developer) talks to them: signatures,
// the seed's results per action, failure injection, asynchronous callbacks; and their place in
// the local stack.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  checkSignature,
  SIGNATURE_HEADER,
  StepCallbackSchema,
  type StepRequest,
  signedHeaders,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';
import { ENV_NAMES } from '../../functions/shared/env.js';
import {
  AGENTS_PATH,
  MAX_DELAY_MS,
  type SimulatedAgentsServer,
  startSimulatedAgents,
} from '../../local/agents/index.js';
import { startTestStack } from '../support/local-stack.js';

const secret = 'arb_sim_test_secret_0123456789';
let agents: SimulatedAgentsServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let steps = 0;

/** Arbiter's callback endpoint, as far as an agent can tell: it records and answers `status`. */
async function startReceiver() {
  const calls: { path: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let status = 200;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    calls.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    answer: (next: number) => void (status = next),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function step(action: string, overrides: Partial<StepRequest> = {}): StepRequest {
  const stepId = `plan-e2e-${++steps}-s1`;
  return {
    step_id: stepId,
    plan_id: `plan-e2e-${steps}`,
    recommendation_id: 'rec-008',
    customer_id: 'customer-1',
    action,
    mode: 'execute',
    parameters: {},
    callback_url: `${receiver.url}/coordination/steps/${stepId}/callback`,
    ...overrides,
  };
}

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(agents.url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as any };
}

/** Signed with the agents' secret unless told otherwise. */
function send(request: StepRequest, options: { key?: string; at?: Date } = {}) {
  const body = JSON.stringify(request);
  return post(body, signedHeaders(options.key ?? secret, body, options.at ?? new Date()));
}

beforeAll(async () => {
  agents = await startSimulatedAgents({ secret });
  receiver = await startReceiver();
});

afterAll(async () => {
  await agents?.close();
  await receiver?.close();
});

describe('simulated agents: the protocol', () => {
  it('refuse an unsigned, forged or stale step with 401', async () => {
    const request = step('take_snapshot');
    const body = JSON.stringify(request);
    expect(await post(body, { 'content-type': 'application/json' })).toEqual({
      status: 401,
      body: { error: 'forged signature' },
    });
    expect(await send(request, { key: 'arb_sim_someone_else_0000000' })).toEqual({
      status: 401,
      body: { error: 'forged signature' },
    });
    expect(await send(request, { at: new Date(Date.now() - 600_000) })).toEqual({
      status: 401,
      body: { error: 'stale signature' },
    });
    const headers = signedHeaders(secret, body, new Date());
    expect((await post(body.replace('take_snapshot', 'scale_resources'), headers)).status).toBe(401);
  });

  it('refuse a signed step that is not a step request, naming what is wrong', async () => {
    const { mode, ...noMode } = step('take_snapshot');
    const body = JSON.stringify({ ...noMode, callback_url: 'nowhere' });
    const reply = await post(body, signedHeaders(secret, body, new Date()));
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/^mode: .*; callback_url: /);
  });

  it('refuse anything but POST', async () => {
    expect((await fetch(agents.url)).status).toBe(405);
  });

  it('refuse a simulation they do not understand, or a delay over the limit', async () => {
    const typo = await send(step('take_snapshot', { parameters: { simulate: { fail_step: ['take_snapshot'] } } }));
    expect(typo).toEqual({ status: 400, body: { error: expect.stringMatching(/^parameters\.simulate: .*fail_step/) } });
    const slow = await send(step('take_snapshot', { parameters: { simulate: { delay_ms: MAX_DELAY_MS + 1 } } }));
    expect(slow).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^parameters\.simulate: delay_ms: /) },
    });
  });
});

describe('simulated agents: the seed actions', () => {
  it('take a snapshot, and delete it on rollback', async () => {
    const done = await send(step('take_snapshot'));
    expect(done).toEqual({
      status: 200,
      body: {
        status: 'completed',
        result: { snapshot_id: expect.stringMatching(/^snap-[0-9a-f]{8}$/), size_gb: 100 },
        rollback_data: { snapshot_id: done.body.result.snapshot_id },
      },
    });
    const undone = await send(step('take_snapshot', { mode: 'rollback', rollback_data: done.body.rollback_data }));
    expect(undone).toEqual({
      status: 200,
      body: { status: 'completed', result: { deleted_snapshot: done.body.result.snapshot_id } },
    });
  });

  it('scale resources, and restore the count on rollback', async () => {
    expect((await send(step('scale_resources'))).body).toEqual({
      status: 'completed',
      result: { previous_count: 5, new_count: 3, scaled_down: 2 },
      rollback_data: { restore_count: 5 },
    });
    expect(
      (await send(step('scale_resources', { mode: 'rollback', rollback_data: { restore_count: 5 } }))).body,
    ).toEqual({ status: 'completed', result: { restored_count: 5 } });
  });

  it('migrate the workload (three instances, or the affected resources), and migrate it back', async () => {
    expect((await send(step('migrate_workload'))).body).toEqual({
      status: 'completed',
      result: { migrated_instances: 3, status: 'completed' },
      rollback_data: { migrated_instances: 3 },
    });
    const named = await send(step('migrate_workload', { parameters: { affected_resources: ['i-201', 'i-202'] } }));
    expect(named.body.result).toEqual({ migrated_instances: 2, status: 'completed' });
    expect(
      (await send(step('migrate_workload', { mode: 'rollback', rollback_data: named.body.rollback_data }))).body,
    ).toEqual({ status: 'completed', result: { migrated_back: 2 } });
  });

  it('validate quality', async () => {
    expect((await send(step('validate_quality'))).body).toEqual({
      status: 'completed',
      result: { quality_score: 0.95, passed: true },
    });
  });

  it('complete any other action', async () => {
    expect((await send(step('enable_caching'))).body).toEqual({
      status: 'completed',
      result: { action: 'enable_caching', status: 'completed' },
    });
    expect((await send(step('enable_caching', { mode: 'rollback' }))).body).toEqual({
      status: 'completed',
      result: { action: 'enable_caching', status: 'rolled_back' },
    });
  });
});

describe('simulated agents: failure injection', () => {
  const simulate = (simulation: Record<string, unknown>) => ({ parameters: { simulate: simulation } });

  it('fail the named steps in execute mode only', async () => {
    const failing = simulate({ fail_steps: ['migrate_workload'], fail_rollback: [] });
    expect(await send(step('migrate_workload', failing))).toEqual({
      status: 200,
      body: { status: 'failed', error: 'simulated failure of migrate_workload' },
    });
    expect((await send(step('take_snapshot', failing))).body.status).toBe('completed');
    expect((await send(step('migrate_workload', { ...failing, mode: 'rollback' }))).body.status).toBe('completed');
  });

  it('fail the named rollbacks only', async () => {
    const failing = simulate({ fail_rollback: ['take_snapshot'] });
    expect((await send(step('take_snapshot', failing))).body.status).toBe('completed');
    expect(
      await send(step('take_snapshot', { ...failing, mode: 'rollback', rollback_data: { snapshot_id: 'snap-1' } })),
    ).toEqual({ status: 200, body: { status: 'failed', error: 'simulated rollback failure of take_snapshot' } });
  });

  it('answer 503 as many times per step as asked, then do the step', async () => {
    const request = step('scale_resources', simulate({ transient_failures: 2 }));
    expect(await send(request)).toEqual({ status: 503, body: { error: 'simulated transient failure 1 of 2' } });
    expect((await send(request)).status).toBe(503);
    expect((await send(request)).body.status).toBe('completed');
    expect((await send(step('scale_resources', simulate({ transient_failures: 2 })))).status).toBe(503);
  });

  it('hold the answer for delay_ms: recorded as unanswered until then', async () => {
    const request = step('validate_quality', simulate({ delay_ms: 200 }));
    const reply = send(request);
    await vi.waitFor(() =>
      expect(agents.requests.find((r) => r.step_id === request.step_id)).toMatchObject({ answered: 0 }),
    );
    expect((await reply).body.status).toBe('completed');
    expect(agents.requests.find((r) => r.step_id === request.step_id)).toMatchObject({ answered: 200 });
  });

  it('work asynchronously: 202 now, then a signed report with the customer to the callback URL', async () => {
    const request = step('take_snapshot', simulate({ async: true, delay_ms: 50 }));
    expect(await send(request)).toEqual({ status: 202, body: { accepted: request.step_id } });
    const call = await vi.waitFor(() => {
      const found = receiver.calls.find((c) => c.path === `/coordination/steps/${request.step_id}/callback`);
      if (!found) throw new Error('no callback yet');
      return found;
    });
    expect(call.headers['content-type']).toBe('application/json');
    expect(
      checkSignature(
        secret,
        call.headers[TIMESTAMP_HEADER] as string,
        call.headers[SIGNATURE_HEADER] as string,
        call.body,
        new Date(),
      ),
    ).toBe('valid');
    const callback = StepCallbackSchema.parse(JSON.parse(call.body));
    expect(callback).toEqual({
      status: 'completed',
      customer_id: 'customer-1',
      result: { snapshot_id: expect.stringMatching(/^snap-/), size_gb: 100 },
      rollback_data: { snapshot_id: callback.result?.snapshot_id },
    });
    await vi.waitFor(() =>
      expect(agents.requests.find((r) => r.step_id === request.step_id)).toMatchObject({
        answered: 202,
        report: { status: 'completed' },
        callback: { status: 200, attempts: 1 },
      }),
    );
  });

  it('report an asynchronous failure through the callback too, and retry a callback Arbiter could not take', async () => {
    receiver.answer(503);
    const request = step('migrate_workload', simulate({ async: true, fail_steps: ['migrate_workload'] }));
    try {
      expect((await send(request)).status).toBe(202);
      const record = () => agents.requests.find((r) => r.step_id === request.step_id);
      await vi.waitFor(() => expect(record()?.callback).toEqual({ status: 503, attempts: 3 }), { timeout: 5_000 });
    } finally {
      receiver.answer(200);
    }
    const calls = receiver.calls.filter((c) => c.path.includes(request.step_id));
    expect(calls).toHaveLength(3);
    expect(JSON.parse(calls[0].body)).toEqual({
      status: 'failed',
      error: 'simulated failure of migrate_workload',
      customer_id: 'customer-1',
    });
  });

  it('record every request, refused ones too, with what they answered', async () => {
    const before = agents.requests.length;
    const request = step('take_snapshot');
    await post(JSON.stringify(request), { 'content-type': 'application/json' });
    await send(request);
    await post('not json', { 'content-type': 'application/json' });
    expect(agents.requests.slice(before)).toEqual([
      {
        step_id: request.step_id,
        action: 'take_snapshot',
        mode: 'execute',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        answered: 401,
      },
      {
        step_id: request.step_id,
        action: 'take_snapshot',
        mode: 'execute',
        at: expect.any(String),
        answered: 200,
        report: expect.objectContaining({ status: 'completed' }),
      },
      { step_id: '', action: '', mode: '', at: expect.any(String), answered: 401 },
    ]);
  });
});

describe('simulated agents in the local stack', () => {
  it('start with the stack, are named in the handlers environment, listed at /local/agents, and stop with it', async () => {
    const stack = await startTestStack();
    try {
      expect(process.env[ENV_NAMES.simulatedAgentsUrl]).toBe(stack.agents.url);
      expect(process.env[ENV_NAMES.simulatedAgentsSecret]).toBe(stack.agents.secret);
      const body = JSON.stringify(step('validate_quality'));
      const answer = await fetch(stack.agents.url, {
        method: 'POST',
        headers: signedHeaders(stack.agents.secret, body, new Date()),
        body,
      });
      expect(answer.status).toBe(200);
      const listed = await (await fetch(`${stack.url}${AGENTS_PATH}`)).json();
      expect(listed).toEqual([expect.objectContaining({ action: 'validate_quality', mode: 'execute', answered: 200 })]);
    } finally {
      await stack.stop();
    }
    await expect(fetch(stack.agents.url, { method: 'POST' })).rejects.toThrow();
  });
});
