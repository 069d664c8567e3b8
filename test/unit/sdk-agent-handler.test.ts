// createAgentHandler over real HTTP on loopback: it verifies, runs the step function, answers 200
// with the report, or 202 and then POSTs the signed report to the step's callback URL (again while
// Arbiter answers 5xx, never after a final refusal).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentHandlerOptions, type CallbackOutcome, createAgentHandler, type StepRequest } from 'arbiter/agent';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkSignature,
  SIGNATURE_HEADER,
  signedHeaders,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';

const secret = 'arb_sign_handler_secret_0123';
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** Arbiter's callback route, answering each POST with the next of `statuses` (then 200). */
async function callbackReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const url = await listen(
    createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      received.push({ headers: request.headers, body });
      const status = statuses.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(status === 200 ? { message: 'Step result accepted' } : { error: `refused ${status}` }),
      );
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  /** Resolves once `n` callbacks arrived. */
  const callbacks = async (n: number) => {
    while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    return received;
  };
  return { url: `${url}/coordination/steps/plan-1-s1/callback?dispatch=d1`, callbacks };
}

function stepFor(callbackUrl: string, fields: Partial<StepRequest> = {}): StepRequest {
  return {
    step_id: 'plan-1-s1',
    plan_id: 'plan-1',
    recommendation_id: 'rec-1',
    customer_id: 'customer-1',
    action: 'resize_volume',
    mode: 'execute',
    parameters: { size_gb: 50 },
    callback_url: callbackUrl,
    ...fields,
  };
}

async function agentAt(options: Omit<AgentHandlerOptions, 'secret'>) {
  const handler = createAgentHandler({ secret, ...options });
  const url = await listen(createServer(handler));
  return { url, handler };
}

/** What Arbiter's dispatch does: POST the step signed with the agent's secret. */
async function dispatch(agentUrl: string, step: StepRequest, key = secret) {
  const body = JSON.stringify(step);
  const response = await fetch(agentUrl, { method: 'POST', headers: signedHeaders(key, body, new Date()), body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const verifiesAsArbiter = (callback: Received) =>
  checkSignature(
    secret,
    callback.headers[TIMESTAMP_HEADER] as string,
    callback.headers[SIGNATURE_HEADER] as string,
    callback.body,
    new Date(),
  );

describe('answering at once (200)', () => {
  it('gives the report the step function returns, a bare result counting as completed', async () => {
    const { url } = await agentAt({
      execute: (step) => ({ result: { size_gb: step.parameters.size_gb }, rollback_data: { size_gb: 100 } }),
    });
    expect(await dispatch(url, stepFor('http://127.0.0.1:1/cb'))).toEqual({
      status: 200,
      body: { status: 'completed', result: { size_gb: 50 }, rollback_data: { size_gb: 100 } },
    });
  });

  it('reports a returned failure, and a thrown error as failed with its message', async () => {
    const errors: unknown[] = [];
    const { url } = await agentAt({
      execute: (step) => {
        if (step.action === 'check_iops') return { status: 'failed', error: 'only 3000 IOPS' };
        throw new Error('the volume is busy');
      },
      onError: (_step, error) => errors.push(error),
    });
    expect((await dispatch(url, stepFor('http://x/cb', { action: 'check_iops' }))).body).toEqual({
      status: 'failed',
      error: 'only 3000 IOPS',
    });
    expect((await dispatch(url, stepFor('http://x/cb'))).body).toEqual({
      status: 'failed',
      error: 'the volume is busy',
    });
    expect(errors).toEqual([new Error('the volume is busy')]);
  });

  it('runs rollback for mode rollback, and reports failed when the agent has none', async () => {
    const withUndo = await agentAt({
      execute: () => ({}),
      rollback: (step) => ({ result: { restored: step.rollback_data } }),
    });
    const undo = stepFor('http://x/cb', { mode: 'rollback', rollback_data: { size_gb: 100 } });
    expect((await dispatch(withUndo.url, undo)).body).toEqual({
      status: 'completed',
      result: { restored: { size_gb: 100 } },
    });
    const without = await agentAt({ execute: () => ({}) });
    expect((await dispatch(without.url, undo)).body).toEqual({
      status: 'failed',
      error: 'this agent cannot roll back resize_volume',
    });
  });
});

describe('refusals', () => {
  it('401 for a step signed with another secret or not signed, 405 for a GET, 413 for a huge body; nothing runs', async () => {
    let ran = 0;
    const { url } = await agentAt({ execute: () => ((ran += 1), {}), maxBodyBytes: 4096 });
    expect(await dispatch(url, stepFor('http://x/cb'), 'arb_sign_not_the_secret')).toMatchObject({ status: 401 });
    const unsigned = await fetch(url, { method: 'POST', body: JSON.stringify(stepFor('http://x/cb')) });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: `the ${TIMESTAMP_HEADER} header is missing` });
    const get = await fetch(url);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    const huge = await dispatch(url, stepFor('http://x/cb', { parameters: { blob: 'x'.repeat(5000) } }));
    expect(huge.status).toBe(413);
    expect(ran).toBe(0);
  });
});

describe('long work (202, then the signed callback)', () => {
  it('answers 202 when the work calls accept(), then POSTs the report with customer_id, signed as Arbiter checks', async () => {
    const arbiter = await callbackReceiver();
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { url, handler } = await agentAt({
      execute: async (_step, { accept }) => {
        accept();
        await finished;
        return { result: { snapshot_id: 'snap-1' } };
      },
    });
    expect(await dispatch(url, stepFor(arbiter.url))).toEqual({ status: 202, body: { accepted: 'plan-1-s1' } });
    finish();
    const [callback] = await arbiter.callbacks(1);
    expect(JSON.parse(callback.body)).toEqual({
      status: 'completed',
      result: { snapshot_id: 'snap-1' },
      customer_id: 'customer-1',
    });
    expect(verifiesAsArbiter(callback)).toBe('valid');
    await handler.idle();
  });

  it('answers 202 by itself when the work outlasts respondWithinMs', async () => {
    const arbiter = await callbackReceiver();
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { url } = await agentAt({
      respondWithinMs: 20,
      execute: async () => {
        await finished;
        return { status: 'failed', error: 'snapshot quota reached' };
      },
    });
    expect((await dispatch(url, stepFor(arbiter.url))).status).toBe(202);
    finish();
    const [callback] = await arbiter.callbacks(1);
    expect(JSON.parse(callback.body)).toEqual({
      status: 'failed',
      error: 'snapshot quota reached',
      customer_id: 'customer-1',
    });
  });

  it('tries again while Arbiter answers 503, and stops at a final refusal (409)', async () => {
    const outcomes: CallbackOutcome[] = [];
    const later = async (_step: StepRequest, { accept }: { accept(): void }) => (accept(), { result: {} });
    const flaky = await callbackReceiver([503, 503]);
    const agent = await agentAt({
      execute: later,
      callback: { backoffMs: 5 },
      onCallback: (_s, outcome) => outcomes.push(outcome),
    });
    await dispatch(agent.url, stepFor(flaky.url));
    const calls = await flaky.callbacks(3);
    await agent.handler.idle();
    expect(calls.every((c) => verifiesAsArbiter(c) === 'valid')).toBe(true);
    expect(outcomes).toEqual([{ status: 200, attempts: 3, delivered: true }]);

    const final = await callbackReceiver([409]);
    await dispatch(agent.url, stepFor(final.url));
    await final.callbacks(1);
    await agent.handler.idle();
    expect(outcomes[1]).toEqual({ status: 409, attempts: 1, delivered: false, error: 'refused 409' });
  });
});
