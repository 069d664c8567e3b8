// A dead database answers 503 with Retry-After on every route, never 500 (issue 8 §4): the local
// stack on a DynamoDB Local of its own, which the test kills.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { arbiterClient, registerAgent } from '../../local/arbiter-client.js';
import { type DynamoLocal, startDynamoLocal } from '../../local/dynamodb.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { rec } from '../support/fixtures.js';

let dynamo: DynamoLocal;
let stack: LocalStack;

beforeAll(async () => {
  dynamo = await startDynamoLocal();
  stack = await startLocalStack({
    port: 0,
    quiet: true,
    dynamoEndpoint: dynamo.endpoint,
    tableName: `arbiter-down-${randomUUID()}`,
  });
});
afterAll(async () => {
  await stack?.stop();
  await dynamo?.stop();
});

it('every route answers 503 with Retry-After while DynamoDB is down, and /health says which part is down', async () => {
  const admin = arbiterClient(stack.url, stack.adminKey);
  const customer = `down-${randomUUID().slice(0, 8)}`;
  const { api_key } = await registerAgent(admin, 'cost-agent-1', customer);
  const agent = arbiterClient(stack.url, api_key);
  expect((await agent.call('GET', '/coordination/recommendations')).status).toBe(200);

  await dynamo.stop();

  const calls: [string, string, string, unknown?][] = [
    [api_key, 'POST', '/coordination/coordinate', { customer_id: customer, recommendations: [rec({ id: 'r1' })] }],
    [api_key, 'GET', '/coordination/recommendations'],
    [api_key, 'GET', '/coordination/recommendations/r1'],
    [api_key, 'GET', '/coordination/plans/p1'],
    [api_key, 'POST', '/coordination/plans/p1/execute'],
    [api_key, 'GET', '/coordination/approvals'],
    [stack.adminKey, 'POST', '/admin/agents', { agent_id: 'a2', customer_id: customer }],
    [stack.adminKey, 'GET', `/admin/customers/${customer}/policy`],
    [stack.adminKey, 'PUT', `/admin/customers/${customer}/policy`, {}],
  ];
  for (const [key, method, path, body] of calls) {
    const response = await fetch(new URL(path, stack.url), {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = {
      route: `${method} ${path}`,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
    };
    expect(answer).toEqual({ route: `${method} ${path}`, status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
    expect(((await response.json()) as { error: string }).error).toMatch(/unavailable|throttling/);
  }
  const health = await fetch(new URL('/health', stack.url));
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ components: { database: { status: 'unhealthy' } } });
});
