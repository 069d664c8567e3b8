// The API handlers over HTTP (local gateway → the same Lambda handlers) on DynamoDB Local.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { arbiterClient, registerOrchestrator } from '../../local/arbiter-client.js';
import { SEED_AGENTS } from '../../local/seed-scenarios.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { rec, seed } from '../support/fixtures.js';
import { client } from '../support/http.js';

let stack: LocalStack;
let api: ReturnType<typeof client>;
let admin: string;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `arbiter-api-${randomUUID()}`,
    quiet: true,
    adminKey: `admin-${randomUUID()}`,
  });
  api = client(stack.url);
  admin = stack.adminKey;
});
afterAll(() => stack?.stop());

/** A plain key of `agentId`; without one, the key of an orchestrator for the seed's agents (their batches name several). */
async function agentFor(customer: string, agentId?: string): Promise<string> {
  if (!agentId) return (await registerOrchestrator(arbiterClient(stack.url, admin), customer, SEED_AGENTS)).api_key;
  const reply = await api.post('/admin/agents', { agent_id: agentId, customer_id: customer }, admin);
  expect(reply.status).toBe(201);
  return reply.body.api_key;
}

const newCustomer = () => `cust-${randomUUID().slice(0, 8)}`;

describe('seed 001 STEP 5 over HTTP', () => {
  it('test 1: no conflicts, one approval required, one auto-approved', async () => {
    const c = newCustomer();
    const r = await api.post('/coordination/coordinate', seed.test1(c), await agentFor(c));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      total_recommendations: 2,
      conflicts_detected: 0,
      conflicts_resolved: 0,
      recommendations_kept: 2,
      approvals_required: 1,
      auto_approved: 1,
      conflicts: [],
    });
    expect(r.body.approvals[0]).toMatchObject({
      recommendation_id: 'rec-001',
      risk_level: 'medium',
      status: 'pending',
    });
    const hours =
      (Date.parse(r.body.approvals[0].expires_at) - Date.parse(r.body.approvals[0].requested_at)) / 3_600_000;
    expect(hours).toBe(48);
  });

  it('test 2: one resource conflict of medium severity, rec-003 kept', async () => {
    const c = newCustomer();
    const r = await api.post('/coordination/coordinate', seed.test2(c), await agentFor(c));
    expect(r.body).toMatchObject({
      conflicts_detected: 1,
      conflicts_resolved: 1,
      recommendations_kept: 1,
      approvals_required: 1,
      auto_approved: 0,
    });
    expect(r.body.conflicts[0]).toMatchObject({
      type: 'resource',
      recommendation_ids: ['rec-003', 'rec-004'],
      description: 'Both recommendations affect resources: [i-102 i-103]',
      severity: 'medium',
      resolved: true,
      resolution: 'Kept recommendation rec-003 (priority: 10, savings: 2000.00), discarded rec-004',
    });
    expect(r.body.recommendations.map((x: { id: string }) => x.id)).toEqual(['rec-003']);
  });

  it('test 3: a resource and a high-severity action conflict, rec-006 kept', async () => {
    const c = newCustomer();
    const key = await agentFor(c);
    const r = await api.post('/coordination/coordinate', seed.test3(c), key);
    expect(r.body.conflicts_detected).toBe(2);
    expect(r.body.recommendations_kept).toBe(1);
    expect(r.body.conflicts.map((x: any) => [x.type, x.severity, x.description])).toEqual([
      ['resource', 'medium', 'Both recommendations affect resources: [cluster-a]'],
      ['action', 'high', 'Contradictory actions: scale_up vs scale_down'],
    ]);
    const loser = await api.get('/coordination/recommendations/rec-005', key);
    expect(loser.body).toMatchObject({ status: 'discarded', resolved_by: 'rec-006' });
    expect(loser.body.status_reason).toContain('rec-006');
    expect(loser.body.conflicts).toHaveLength(2);
  });
});

describe('credentials and tenants', () => {
  it('refuses a missing or unknown key with 401', async () => {
    expect((await api.post('/coordination/coordinate', seed.test1('x'))).status).toBe(401);
    expect((await api.post('/coordination/coordinate', seed.test1('x'), 'arb_agent_nope')).status).toBe(401);
    expect((await api.get('/coordination/recommendations', 'arb_agent_nope')).status).toBe(401);
  });

  it('refuses a request for another customer with 403 and stores nothing', async () => {
    const mine = newCustomer();
    const theirs = newCustomer();
    const key = await agentFor(mine);
    const r = await api.post('/coordination/coordinate', seed.test2(theirs), key);
    expect(r.status).toBe(403);
    const listed = await api.get(`/coordination/recommendations?customer_id=${theirs}`, admin);
    expect(listed.body.count).toBe(0);
    expect((await api.get(`/coordination/recommendations?customer_id=${theirs}`, key)).status).toBe(403);
  });

  it("hides one customer's recommendations from another's agent", async () => {
    const a = newCustomer();
    const b = newCustomer();
    await api.post('/coordination/coordinate', seed.test2(a), await agentFor(a));
    const otherKey = await agentFor(b);
    expect((await api.get('/coordination/recommendations/rec-003', otherKey)).status).toBe(404);
    expect((await api.get(`/coordination/recommendations/rec-003?customer_id=${a}`, otherKey)).status).toBe(403);
    expect((await api.get(`/coordination/recommendations/rec-003?customer_id=${a}`, admin)).body.status).toBe(
      'pending_approval',
    );
  });

  it('keeps admin routes for the admin key and registers an agent once', async () => {
    const c = newCustomer();
    const key = await agentFor(c, 'agent-x');
    expect((await api.post('/admin/agents', { agent_id: 'agent-y', customer_id: c }, key)).status).toBe(403);
    const again = await api.post('/admin/agents', { agent_id: 'agent-x', customer_id: c }, admin);
    expect(again.status).toBe(409);
    expect(again.body.error).toContain('already registered');
  });
});

describe('bad input gets a 400 naming the field and changes nothing', () => {
  const badValues: Record<string, unknown> = {
    id: '',
    agent_id: 'has space',
    agent_type: 42,
    type: 'magic',
    title: '   ',
    description: 7,
    action: 'Scale Up!',
    risk_level: 'extreme',
    estimated_savings: 'lots',
    estimated_impact: ['x'],
    affected_resources: 'i-1',
    parameters: [],
    dependencies: [''],
    priority: 1.5,
    confidence: 1.2,
    expires_at: 'tomorrow',
    window: { not_before: '2026-01-02T00:00:00Z', not_after: '2026-01-01T00:00:00Z' },
    steps: [],
    metadata: 'x',
    customer_id: 'someone-else',
    unexpected_field: true,
  };

  for (const [field, value] of Object.entries(badValues)) {
    it(`recommendations[1].${field}`, async () => {
      const c = newCustomer();
      const key = await agentFor(c);
      const body = seed.test2(c);
      (body.recommendations[1] as Record<string, unknown>)[field] = value;
      const r = await api.post('/coordination/coordinate', body, key);
      expect(r.status).toBe(400);
      const fields = r.body.details.map((d: { field: string }) => d.field);
      expect(fields.some((f: string) => f.startsWith(`recommendations[1].${field}`))).toBe(true);
      expect((await api.get('/coordination/recommendations', key)).body.count).toBe(0);
    });
  }

  it('names every bad field at once', async () => {
    const c = newCustomer();
    const body = {
      customer_id: c,
      recommendations: [rec({ id: 'a', risk_level: 'nope' as never }), rec({ id: 'b', priority: 'high' as never })],
      auto_approve: 'yes',
    };
    const r = await api.post('/coordination/coordinate', body, await agentFor(c));
    expect(r.status).toBe(400);
    expect(r.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'auto_approve',
      'recommendations[0].risk_level',
      'recommendations[1].priority',
    ]);
  });

  it('refuses free-form objects above 16 KiB, which plans would copy into every step', async () => {
    const c = newCustomer();
    const body = { customer_id: c, recommendations: [rec({ id: 'big', parameters: { blob: 'x'.repeat(17 * 1024) } })] };
    const r = await api.post('/coordination/coordinate', body, await agentFor(c));
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([
      { field: 'recommendations[0].parameters', message: 'must be at most 16 KiB as JSON' },
    ]);
  });

  it('refuses duplicate ids within one request', async () => {
    const c = newCustomer();
    const r = await api.post(
      '/coordination/coordinate',
      { customer_id: c, recommendations: [rec({ id: 'dup' }), rec({ id: 'dup' })] },
      await agentFor(c),
    );
    expect(r.status).toBe(400);
    expect(r.body.details[0].field).toBe('recommendations[1].id');
  });

  it('answers 413 above 256 KiB, 415 for non-JSON and 400 for malformed JSON', async () => {
    const c = newCustomer();
    const key = await agentFor(c);
    const big = seed.test1(c);
    (big.recommendations[0] as Record<string, unknown>).description = 'x'.repeat(3000);
    const huge = {
      ...big,
      recommendations: Array.from({ length: 100 }, (_, i) => ({ ...big.recommendations[0], id: `big-${i}` })),
    };
    expect((await api.post('/coordination/coordinate', huge, key)).status).toBe(413);
    expect(
      (
        await api.call('POST', '/coordination/coordinate', {
          key,
          raw: JSON.stringify(seed.test1(c)),
          contentType: 'text/plain',
        })
      ).status,
    ).toBe(415);
    const malformed = await api.call('POST', '/coordination/coordinate', { key, raw: '{"customer_id": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      error: 'body is not valid JSON',
      details: [{ field: 'body', message: 'is not valid JSON' }],
    });
    expect((await api.get('/coordination/recommendations', key)).body.count).toBe(0);
  });

  it('never answers 5xx to arbitrary JSON', async () => {
    const c = newCustomer();
    const key = await agentFor(c);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            customer_id: fc.constant(c),
            recommendations: fc.array(
              fc.dictionary(fc.constantFrom('id', 'priority', 'risk_level', 'action', 'title'), fc.jsonValue()),
              { maxLength: 3 },
            ),
          }),
        ),
        async (body) => {
          const r = await api.post('/coordination/coordinate', body, key);
          expect(r.status).toBeLessThan(500);
          if (r.status !== 200) expect(r.body).toHaveProperty('error');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('validates query parameters and pagination tokens', async () => {
    const c = newCustomer();
    const key = await agentFor(c);
    expect((await api.get('/coordination/recommendations?status=bogus', key)).body.details[0].field).toBe('status');
    expect((await api.get('/coordination/recommendations?limit=0', key)).status).toBe(400);
    expect((await api.get('/coordination/recommendations?next=garbage', key)).body.details[0].field).toBe('next');
    // Well-formed JSON of this customer's partition, but not a key DynamoDB would accept back: 400, not 500.
    for (const forged of [
      { pk: `C#${c}` },
      { pk: `C#${c}`, sk: 'P#plan' },
      { pk: `C#${c}`, sk: 'R#x', gsi1pk: 'y', gsi1sk: 'z' },
    ]) {
      const token = Buffer.from(JSON.stringify(forged)).toString('base64url');
      expect((await api.get(`/coordination/recommendations?next=${token}`, key)).status).toBe(400);
    }
  });
});

describe('policy, listing, health', () => {
  it('applies a customer policy set by the admin', async () => {
    const c = newCustomer();
    const defaults = await api.get(`/admin/customers/${c}/policy`, admin);
    expect(defaults.body.risk.critical).toEqual({ approvals_required: 2, expires_in_seconds: 4 * 3600 });
    const bad = await api.put(
      `/admin/customers/${c}/policy`,
      { risk: { medium: { approvals_required: -1, expires_in_seconds: 10 } } },
      admin,
    );
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'risk.medium.approvals_required',
      'risk.medium.expires_in_seconds',
    ]);
    const put = await api.put(
      `/admin/customers/${c}/policy`,
      { risk: { medium: { approvals_required: 0, expires_in_seconds: 3600 } } },
      admin,
    );
    expect(put.body.risk.high.approvals_required).toBe(1);
    const r = await api.post('/coordination/coordinate', seed.test1(c), await agentFor(c));
    expect(r.body).toMatchObject({ approvals_required: 0, auto_approved: 2 });
  });

  it('lists by status and pages', async () => {
    const c = newCustomer();
    const key = await agentFor(c);
    await api.post('/coordination/coordinate', seed.test2(c), key);
    const discarded = await api.get('/coordination/recommendations?status=discarded', key);
    expect(discarded.body.recommendations.map((r: { id: string }) => r.id)).toEqual(['rec-004']);
    const page1 = await api.get('/coordination/recommendations?limit=1', key);
    const page2 = await api.get(`/coordination/recommendations?limit=1&next=${page1.body.next}`, key);
    expect([page1.body.recommendations[0].id, page2.body.recommendations[0].id].sort()).toEqual(['rec-003', 'rec-004']);
  });

  it('returns the plan of an approved recommendation and 404 for an unknown plan', async () => {
    const c = newCustomer();
    const key = await agentFor(c);
    const r = await api.post('/coordination/coordinate', { ...seed.test1(c), execute_now: true }, key);
    const plan = r.body.execution_plans[0];
    expect(plan.steps.map((s: { action: string }) => s.action)).toEqual(['optimize_kv_cache']);
    expect((await api.get(`/coordination/plans/${plan.id}`, key)).body.recommendation_id).toBe('rec-002');
    expect((await api.get('/coordination/plans/nonexistent', key)).body).toEqual({ error: 'Plan not found' });
  });

  it('reports health and serves the OpenAPI document without a key', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'healthy',
      service: 'arbiter',
      components: {
        database: { status: 'healthy' },
        workflow: { status: 'healthy' },
        notifications: { status: 'healthy' },
      },
    });
    const doc = await api.get('/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/coordination/coordinate'].post.requestBody).toBeDefined();
  });
});
