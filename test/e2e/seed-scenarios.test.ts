// The demo's seed scenarios (seed 001 STEP 5, tests 1–3) over HTTP against the local stack:
// gateway, the real handlers and DynamoDB Local. Each test registers its own customer's agents
// and an orchestrator that submits the seed's multi-agent batches for them.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ArbiterClient, arbiterClient, registerOrchestrator } from '../../local/arbiter-client.js';
import { type CoordinationResponse, outcomeOf, SEED_AGENTS, SEED_SCENARIOS } from '../../local/seed-scenarios.js';
import { stackForFile } from '../support/local-stack.js';

const stack = stackForFile();

async function newAgent(): Promise<{ agent: ArbiterClient; customerId: string }> {
  const customerId = `e2e-${randomUUID().slice(0, 8)}`;
  const { api_key } = await registerOrchestrator(arbiterClient(stack.url, stack.adminKey), customerId, SEED_AGENTS);
  return { agent: arbiterClient(stack.url, api_key), customerId };
}

describe('seed 001 STEP 5 through the local stack', () => {
  for (const scenario of SEED_SCENARIOS) {
    it(scenario.name, async () => {
      const { agent, customerId } = await newAgent();
      const reply = await agent.call<CoordinationResponse>(
        'POST',
        '/coordination/coordinate',
        scenario.request(customerId),
      );
      expect(reply.status).toBe(200);
      expect(outcomeOf(reply.body)).toEqual(scenario.expected);
    });
  }

  it('keeps the loser of a conflict, discarded, with the reason and the winner', async () => {
    const { agent, customerId } = await newAgent();
    const resourceConflict = SEED_SCENARIOS[1];
    expect((await agent.call('POST', '/coordination/coordinate', resourceConflict.request(customerId))).status).toBe(
      200,
    );

    const reply = await agent.call('GET', '/coordination/recommendations/rec-004');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: 'rec-004',
      status: 'discarded',
      resolved_by: 'rec-003',
      status_reason: expect.stringContaining('rec-003'),
    });
  });

  it('answers a bad field with 400 naming it', async () => {
    const { agent, customerId } = await newAgent();
    const request = SEED_SCENARIOS[0].request(customerId);
    request.recommendations[0].risk_level = 'extreme';

    const reply = await agent.call<{ error: string; details: { field: string }[] }>(
      'POST',
      '/coordination/coordinate',
      request,
    );
    expect(reply.status).toBe(400);
    expect(reply.body.details.map((d) => d.field)).toEqual(['recommendations[0].risk_level']);
  });

  it('serves /health and /openapi.json without a key', async () => {
    const anonymous = arbiterClient(stack.url);
    expect(await anonymous.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'healthy' } });
    expect(await anonymous.call('GET', '/openapi.json')).toMatchObject({
      status: 200,
      body: { openapi: expect.stringMatching(/^3\.1/) },
    });
  });
});
