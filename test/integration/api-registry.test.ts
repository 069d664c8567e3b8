// What the route registry promises, over HTTP (local gateway → the Lambda handlers) on DynamoDB Local:
// real answers satisfy the documented response schemas, /docs and / serve their pages, and the §6
// contract fixes (policy round trip, the Bearer message, the callback's missing header).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as z from 'zod';
import { RESPONSES } from '../../functions/shared/responses.js';
import type { RouteKey } from '../../functions/shared/routes.js';
import { arbiterClient, registerOrchestrator } from '../../local/arbiter-client.js';
import { SEED_AGENTS } from '../../local/seed-scenarios.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { seed } from '../support/fixtures.js';
import { client, type Reply } from '../support/http.js';

let stack: LocalStack;
let api: ReturnType<typeof client>;
let admin: string;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `arbiter-registry-${randomUUID()}`,
    quiet: true,
    adminKey: `admin-${randomUUID()}`,
  });
  api = client(stack.url);
  admin = stack.adminKey;
});
afterAll(() => stack?.stop());

const newCustomer = () => `cust-${randomUUID().slice(0, 8)}`;

/** The answer has a documented success status and its body satisfies that status's schema. */
function expectDocumented(key: RouteKey, reply: Reply) {
  const documented = RESPONSES[key].find((r) => r.status === reply.status);
  expect(documented, `${key} answered ${reply.status}: ${JSON.stringify(reply.body).slice(0, 300)}`).toBeDefined();
  const parsed = (documented!.schema as z.ZodType).safeParse(reply.body);
  expect(parsed.success ? [] : parsed.error.issues, key).toEqual([]);
}

describe('answers satisfy the documented response schemas', () => {
  it('coordinate, list, get, plan, conflicts, approvals, health, openapi', async () => {
    const c = newCustomer();
    const agent = (await registerOrchestrator(arbiterClient(stack.url, admin), c, SEED_AGENTS)).api_key;
    const coordinated = await api.post('/coordination/coordinate', seed.test1(c), agent);
    expectDocumented('POST /coordination/coordinate', coordinated);
    const rec = coordinated.body.recommendations[0];
    expectDocumented('GET /coordination/recommendations', await api.get('/coordination/recommendations', agent));
    expectDocumented(
      'GET /coordination/recommendations/{id}',
      await api.get(`/coordination/recommendations/${rec.id}`, agent),
    );
    const planId = coordinated.body.recommendations.find((r: { plan_id?: string }) => r.plan_id).plan_id;
    expectDocumented('GET /coordination/plans/{id}', await api.get(`/coordination/plans/${planId}`, agent));
    expectDocumented(
      'GET /coordination/coordinations/{id}/conflicts',
      await api.get(`/coordination/coordinations/${coordinated.body.id}/conflicts`, agent),
    );
    expectDocumented('GET /coordination/approvals', await api.get(`/coordination/approvals?customer_id=${c}`, admin));
    expectDocumented('GET /health', await api.get('/health'));
    expectDocumented('GET /openapi.json', await api.get('/openapi.json'));
  });

  it('admin: agents, approvers, keys, policy', async () => {
    const c = newCustomer();
    const agent = await api.post('/admin/agents', { agent_id: 'a1', customer_id: c }, admin);
    expectDocumented('POST /admin/agents', agent);
    const rotated = await api.post(`/admin/agents/a1/keys?customer_id=${c}`, { grace_seconds: 60 }, admin);
    expectDocumented('POST /admin/agents/{agent_id}/keys', rotated);
    expectDocumented(
      'DELETE /admin/agents/{agent_id}/keys/{key_id}',
      await api.call('DELETE', `/admin/agents/a1/keys/${agent.body.key_id}?customer_id=${c}`, { key: admin }),
    );
    const approver = await api.post(`/admin/customers/${c}/approvers`, { email: 'ops@example.com' }, admin);
    expectDocumented('POST /admin/customers/{customer_id}/approvers', approver);
    expectDocumented('GET /admin/customers/{customer_id}/policy', await api.get(`/admin/customers/${c}/policy`, admin));
  });
});

describe('policy: a PUT takes the document GET returns', () => {
  it('accepts the GET document unchanged, and with a change', async () => {
    const c = newCustomer();
    const got = await api.get(`/admin/customers/${c}/policy`, admin);
    expect(got.body).toMatchObject({ customer_id: c, customized: false });
    const same = await api.put(`/admin/customers/${c}/policy`, got.body, admin);
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body).toEqual({ ...got.body, customized: true });
    const changed = await api.put(
      `/admin/customers/${c}/policy`,
      { ...same.body, max_concurrent_executions: 3 },
      admin,
    );
    expect(changed.status).toBe(200);
    expect((await api.get(`/admin/customers/${c}/policy`, admin)).body).toMatchObject({
      customer_id: c,
      customized: true,
      max_concurrent_executions: 3,
    });
  });

  it("refuses another customer's document, naming customer_id", async () => {
    const c = newCustomer();
    const other = (await api.get(`/admin/customers/${newCustomer()}/policy`, admin)).body;
    const reply = await api.put(`/admin/customers/${c}/policy`, other, admin);
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([
      { field: 'customer_id', message: `must be the customer in the path (${c}) or left out` },
    ]);
  });
});

describe('errors that point the right way', () => {
  it('a key sent without Bearer is told to say Bearer', async () => {
    const reply = await api.call('GET', '/coordination/recommendations', {});
    expect(reply.status).toBe(401);
    expect(reply.body.error).toMatch(/^missing API key/);
    const response = await fetch(new URL('/coordination/recommendations', stack.url), {
      headers: { authorization: admin },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe(
      'the Authorization header must say Bearer: send Authorization: Bearer <key>',
    );
  });

  it('a callback without signature headers names the missing one', async () => {
    const body = JSON.stringify({ customer_id: 'acme', status: 'completed' });
    const post = (headers: Record<string, string>) =>
      fetch(new URL('/coordination/steps/step-1/callback', stack.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: string } }));
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.body.error).toMatch(/^missing x-arbiter-signature header/);
    const noTimestamp = await post({ 'x-arbiter-signature': `v1=${'0'.repeat(64)}` });
    expect(noTimestamp.status).toBe(401);
    expect(noTimestamp.body.error).toMatch(/^missing x-arbiter-timestamp header/);
  });
});

describe('pages', () => {
  it('/docs serves Swagger UI from this origin under a CSP', async () => {
    const page = await fetch(new URL('/docs', stack.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('src="docs/swagger-ui-bundle.js"');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(new URL('/docs/swagger-ui-bundle.js', stack.url));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(new URL('/docs/nothing.js', stack.url))).status).toBe(400);
  });

  it('/ leads to the console, the docs and the outbox', async () => {
    const page = await fetch(new URL('/', stack.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const path of ['/local/console', '/docs', '/local/outbox']) expect(html).toContain(`href="${path}"`);
  });
});
