// Bounded responses and items over HTTP on DynamoDB Local (issue 8 §5): 1,000 recommendations on one
// resource (about 200 KB) answer under 1 MB with every count right, each stored recommendation holds
// at most 50 conflicts, and the listed conflicts page through GET /coordination/coordinations/{id}/conflicts.
// (How fast is measured in bench/coordinate-one-resource.bench.ts, not here.)
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Conflict, CoordinationResponse, Recommendation } from '../../functions/core/model/records.js';
import { type ArbiterClient, arbiterClient, registerAgent } from '../../local/arbiter-client.js';
import type { LocalStack } from '../../local/stack.js';
import { rec } from '../support/fixtures.js';
import { startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let agent: ArbiterClient;
let response: CoordinationResponse;
let responseBytes: number;
const customer = `crowd-${randomUUID().slice(0, 8)}`;
const N = 1000;

beforeAll(async () => {
  stack = await startTestStack();
  const { api_key } = await registerAgent(arbiterClient(stack.url, stack.adminKey), 'cost-agent-1', customer);
  agent = arbiterClient(stack.url, api_key);
  const recommendations = Array.from({ length: N }, (_, i) =>
    rec({
      id: `r${String(i).padStart(4, '0')}`,
      title: `Option ${i}`,
      action: 'rightsize',
      affected_resources: ['db-shared'],
      priority: 1 + (i % 10),
      estimated_savings: i,
    }),
  );
  const body = JSON.stringify({ customer_id: customer, recommendations, auto_approve: true });
  expect(body.length).toBeGreaterThan(150_000);
  const reply = await fetch(new URL('/coordination/coordinate', stack.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${api_key}`, 'content-type': 'application/json' },
    body,
  });
  const text = await reply.text();
  expect(reply.status).toBe(200);
  responseBytes = Buffer.byteLength(text);
  response = JSON.parse(text) as CoordinationResponse;
}, 120_000);
afterAll(() => stack?.stop());

it('answers under 1 MB, counting all 499,500 conflicts and listing at most 500', () => {
  expect(responseBytes).toBeLessThan(1024 * 1024);
  expect(response).toMatchObject({
    conflicts_detected: (N * (N - 1)) / 2,
    conflicts_resolved: (N * (N - 1)) / 2,
    conflicts_truncated: true,
    recommendations_kept: 1,
  });
  expect(response.conflicts.length).toBeLessThanOrEqual(500);
  expect(response.not_kept).toHaveLength(N - 1);
  const [winner] = response.recommendations;
  expect(winner.conflicts.length).toBeLessThanOrEqual(50);
  expect(winner).toMatchObject({ conflicts_total: N - 1, conflicts_truncated: true });
});

it('stores each loser with at most 50 conflicts, the one with its winner first', async () => {
  const winner = response.recommendations[0].id;
  for (const id of ['r0000', 'r0500', 'r0998']) {
    const { status, body } = await agent.call<Recommendation>('GET', `/coordination/recommendations/${id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'discarded',
      resolved_by: winner,
      conflicts_total: N - 1,
      conflicts_truncated: true,
    });
    expect(body.conflicts.length).toBeLessThanOrEqual(50);
    expect([...body.conflicts[0].recommendation_ids].sort()).toEqual([id, winner].sort());
  }
});

it('pages through every listed conflict, each once, the decisive one of every loser among them', async () => {
  const seen: Conflict[] = [];
  let next: string | undefined;
  let listed = 0;
  do {
    const { status, body } = await agent.call<{
      conflicts: Conflict[];
      conflicts_listed: number;
      conflicts_detected: number;
      next?: string;
    }>('GET', `/coordination/coordinations/${response.id}/conflicts?limit=100${next ? `&next=${next}` : ''}`);
    expect(status).toBe(200);
    expect(body.conflicts.length).toBeLessThanOrEqual(100);
    expect(body.conflicts_detected).toBe((N * (N - 1)) / 2);
    seen.push(...body.conflicts);
    listed = body.conflicts_listed;
    next = body.next;
  } while (next);
  expect(seen).toHaveLength(listed);
  expect(new Set(seen.map((c) => c.id)).size).toBe(listed);
  const pairs = new Set(seen.map((c) => c.recommendation_ids.join()));
  const winner = response.recommendations[0].id;
  for (const loser of response.not_kept) expect(pairs.has([loser.id, winner].sort().join())).toBe(true);
});

it('answers 404 for an unknown coordination or another customer, 400 for a bad token or limit', async () => {
  expect((await agent.call('GET', '/coordination/coordinations/coord_nope/conflicts')).status).toBe(404);
  const other = `crowd-${randomUUID().slice(0, 8)}`;
  const { api_key } = await registerAgent(arbiterClient(stack.url, stack.adminKey), 'cost-agent-1', other);
  expect(
    (await arbiterClient(stack.url, api_key).call('GET', `/coordination/coordinations/${response.id}/conflicts`))
      .status,
  ).toBe(404);
  for (const query of [
    'next=garbage',
    `next=${Buffer.from('{"at":-1}').toString('base64url')}`,
    `next=${Buffer.from('{"at":99999999}').toString('base64url')}`,
    'limit=0',
    'limit=101',
  ]) {
    const reply = await agent.call<{ details: { field: string }[] }>(
      'GET',
      `/coordination/coordinations/${response.id}/conflicts?${query}`,
    );
    expect({ query, status: reply.status }).toEqual({ query, status: 400 });
  }
});
