// Keys bound to their agent (issue 8 §1), over HTTP on the local stack with DynamoDB Local: a plain
// agent key speaks only for its own agent, in recommendations and explicit steps; an orchestrator
// key for any agent registered to its customer; unregistered agents are a 400 naming the field.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArbiterClient,
  arbiterClient,
  eventually,
  registerAgent,
  registerApprover,
} from '../../local/arbiter-client.js';
import type { LocalStack } from '../../local/stack.js';
import { rec } from '../support/fixtures.js';
import { startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let admin: ArbiterClient;

beforeAll(async () => {
  stack = await startTestStack();
  admin = arbiterClient(stack.url, stack.adminKey);
});
afterAll(() => stack?.stop());

interface Tenant {
  id: string;
  a1: ArbiterClient;
  orchestrator: ArbiterClient;
}

/** A customer with agents a1 and ext1 (plain keys) and an orchestrator. */
async function tenant(): Promise<Tenant> {
  const id = `keys-${randomUUID().slice(0, 8)}`;
  const a1 = await registerAgent(admin, 'a1', id);
  await registerAgent(admin, 'ext1', id);
  const orchestrator = await registerAgent(admin, 'orch', id, 'orchestrator');
  expect(orchestrator.role).toBe('orchestrator');
  return { id, a1: arbiterClient(stack.url, a1.api_key), orchestrator: arbiterClient(stack.url, orchestrator.api_key) };
}

const batch = (customer: string, ...recommendations: Record<string, unknown>[]) => ({
  customer_id: customer,
  recommendations,
  auto_approve: true,
  execute_now: false,
});

async function storedCount(t: Tenant): Promise<number> {
  const listed = await t.orchestrator.call<{ count: number }>('GET', '/coordination/recommendations');
  return listed.body.count;
}

type Refusal = { error: string; details: { field: string; message: string }[] };

describe('a plain agent key', () => {
  it.each(['a1b', 'ghost-agent', 'ext1'])(
    'cannot submit a recommendation as %s: 403 naming the field, nothing stored',
    async (other) => {
      const t = await tenant();
      const reply = await t.a1.call<Refusal>(
        'POST',
        '/coordination/coordinate',
        batch(t.id, rec({ id: 'mine', agent_id: 'a1' }), rec({ id: 'theirs', agent_id: other })),
      );
      expect(reply.status).toBe(403);
      expect(reply.body.details.map((d) => d.field)).toEqual(['recommendations[1].agent_id']);
      expect(await storedCount(t)).toBe(0);
    },
  );

  it("cannot name another agent in an explicit step: 403 naming the step's agent_id, nothing stored", async () => {
    const t = await tenant();
    const steps = [
      { action: 'take_snapshot', agent_id: 'a1' },
      { action: 'delete_database', agent_id: 'ext1' },
    ];
    const reply = await t.a1.call<Refusal>(
      'POST',
      '/coordination/coordinate',
      batch(t.id, rec({ id: 'hop', agent_id: 'a1', action: 'delete_database', steps: steps as never })),
    );
    expect(reply.status).toBe(403);
    expect(reply.body.details.map((d) => d.field)).toEqual(['recommendations[0].steps[1].agent_id']);
    expect(await storedCount(t)).toBe(0);
  });

  it("submits its own recommendations, with its own steps and Arbiter's template steps on other agents", async () => {
    const t = await tenant();
    const own = rec({
      id: 'own-steps',
      agent_id: 'a1',
      steps: [{ action: 'take_snapshot', agent_id: 'a1' }, { action: 'resize' }] as never,
    });
    const templated = rec({ id: 'spot', agent_id: 'a1', action: 'migrate_to_spot', affected_resources: ['i-spot'] });
    const reply = await t.a1.call<{ recommendations: { id: string }[] }>('POST', '/coordination/coordinate', {
      ...batch(t.id, own, templated),
      execute_now: false,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.recommendations.map((r) => r.id).sort()).toEqual(['own-steps', 'spot']);
    const spot = await t.a1.call<{ plan: { steps: { action: string; agent_id: string }[] } }>(
      'GET',
      '/coordination/recommendations/spot',
    );
    expect(spot.body.plan.steps.map((s) => `${s.action}@${s.agent_id}`)).toEqual([
      'take_snapshot@a1',
      'migrate_workload@a1',
      'validate_quality@application-agent',
    ]);
  });
});

describe('an orchestrator key', () => {
  it('submits for, and names in steps, any agent registered to its customer', async () => {
    const t = await tenant();
    const reply = await t.orchestrator.call<{ recommendations: { id: string }[] }>(
      'POST',
      '/coordination/coordinate',
      batch(
        t.id,
        rec({ id: 'r-a1', agent_id: 'a1' }),
        rec({
          id: 'r-ext',
          agent_id: 'ext1',
          affected_resources: ['i-2'],
          steps: [{ action: 'resize', agent_id: 'a1' }] as never,
        }),
      ),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.recommendations.map((r) => r.id).sort()).toEqual(['r-a1', 'r-ext']);
  });

  it('gets 400 naming every field that names an agent not registered to the customer, nothing stored', async () => {
    const t = await tenant();
    const reply = await t.orchestrator.call<Refusal>(
      'POST',
      '/coordination/coordinate',
      batch(
        t.id,
        rec({ id: 'ghost', agent_id: 'ghost-agent' }),
        rec({ id: 'step', agent_id: 'a1', steps: [{ action: 'resize', agent_id: 'ghost-2' }] as never }),
      ),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.details.map((d) => d.field)).toEqual([
      'recommendations[0].agent_id',
      'recommendations[1].steps[0].agent_id',
    ]);
    expect(await storedCount(t)).toBe(0);
  });

  it("cannot use another customer's agent, even one with the same name elsewhere", async () => {
    const t = await tenant();
    const elsewhere = `keys-${randomUUID().slice(0, 8)}`;
    await registerAgent(admin, 'only-elsewhere', elsewhere);
    const reply = await t.orchestrator.call<Refusal>(
      'POST',
      '/coordination/coordinate',
      batch(t.id, rec({ id: 'x', agent_id: 'only-elsewhere' })),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.details[0].field).toBe('recommendations[0].agent_id');
  });
});

it('the admin key may submit for registered agents only', async () => {
  const t = await tenant();
  const refused = await admin.call<Refusal>(
    'POST',
    '/coordination/coordinate',
    batch(t.id, rec({ id: 'x', agent_id: 'nobody' })),
  );
  expect(refused.status).toBe(400);
  expect(refused.body.details[0].field).toBe('recommendations[0].agent_id');
  expect(
    (await admin.call('POST', '/coordination/coordinate', batch(t.id, rec({ id: 'y', agent_id: 'ext1' })))).status,
  ).toBe(200);
});

it('registration refuses an unknown role with 400 naming it', async () => {
  const reply = await admin.call<Refusal>('POST', '/admin/agents', {
    agent_id: 'x',
    customer_id: 'c-role',
    role: 'root',
  });
  expect(reply.status).toBe(400);
  expect(reply.body.details[0].field).toBe('role');
});

describe('rotation and revocation (issue 8 §7)', () => {
  const works = async (key: string) =>
    (await arbiterClient(stack.url, key).call('GET', '/coordination/recommendations')).status;

  it("an agent's key rotated with grace 0 stops at once; the new key and signing secret are given once", async () => {
    const customer = `rot-${randomUUID().slice(0, 8)}`;
    const first = await registerAgent(admin, 'a1', customer);
    expect(first.key_id).toMatch(/^key_/);
    expect(await works(first.api_key)).toBe(200);
    const rotated = await admin.call<{
      key_id: string;
      api_key: string;
      signing_secret: string;
      previous_valid_until?: string;
    }>('POST', `/admin/agents/a1/keys?customer_id=${customer}`, {});
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous_valid_until).toBeUndefined();
    expect(rotated.body.signing_secret).not.toBe(first.signing_secret);
    expect(await works(first.api_key)).toBe(401);
    expect(await works(rotated.body.api_key)).toBe(200);
  });

  it('with a grace period both keys work until the old one is revoked, which takes effect at once', async () => {
    const customer = `rot-${randomUUID().slice(0, 8)}`;
    const first = await registerAgent(admin, 'a1', customer, 'orchestrator');
    const rotated = await admin.call<{ key_id: string; api_key: string; previous_valid_until: string }>(
      'POST',
      `/admin/agents/a1/keys?customer_id=${customer}`,
      { grace_seconds: 3600 },
    );
    expect(Date.parse(rotated.body.previous_valid_until) - Date.now()).toBeGreaterThan(3500_000);
    expect([await works(first.api_key), await works(rotated.body.api_key)]).toEqual([200, 200]);
    const revoked = await admin.call('DELETE', `/admin/agents/a1/keys/${first.key_id}?customer_id=${customer}`);
    expect(revoked.status).toBe(200);
    expect([await works(first.api_key), await works(rotated.body.api_key)]).toEqual([401, 200]);
    // The new key keeps the orchestrator's powers.
    await registerAgent(admin, 'a2', customer);
    const submitted = await arbiterClient(stack.url, rotated.body.api_key).call(
      'POST',
      '/coordination/coordinate',
      batch(customer, rec({ id: 'for-a2', agent_id: 'a2' })),
    );
    expect(submitted.status).toBe(200);
    expect((await admin.call('DELETE', `/admin/agents/a1/keys/${first.key_id}?customer_id=${customer}`)).status).toBe(
      404,
    );
  });

  it('a key on notice stops by itself when its grace period ends', async () => {
    const customer = `rot-${randomUUID().slice(0, 8)}`;
    const first = await registerAgent(admin, 'a1', customer);
    expect(
      (await admin.call('POST', `/admin/agents/a1/keys?customer_id=${customer}`, { grace_seconds: 1 })).status,
    ).toBe(201);
    await eventually(
      'the old key to stop working',
      async () => ((await works(first.api_key)) === 401 ? true : undefined),
      5_000,
    );
  });

  it('refuses what is not the admin, unknown agents and keys, and bad grace periods', async () => {
    const customer = `rot-${randomUUID().slice(0, 8)}`;
    const agent = await registerAgent(admin, 'a1', customer);
    expect(
      (await arbiterClient(stack.url, agent.api_key).call('POST', `/admin/agents/a1/keys?customer_id=${customer}`, {}))
        .status,
    ).toBe(403);
    expect((await admin.call('POST', `/admin/agents/nobody/keys?customer_id=${customer}`, {})).status).toBe(404);
    expect((await admin.call('DELETE', `/admin/agents/a1/keys/key_nope?customer_id=${customer}`)).status).toBe(404);
    const bad = await admin.call<Refusal>('POST', `/admin/agents/a1/keys?customer_id=${customer}`, {
      grace_seconds: -1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('grace_seconds');
    expect((await admin.call<Refusal>('POST', '/admin/agents/a1/keys', {})).body.details[0].field).toBe('customer_id');
    expect(await works(agent.api_key)).toBe(200);
  });

  it("an approver's key rotates and revokes the same way, and a lost approver can be registered again", async () => {
    const customer = `rot-${randomUUID().slice(0, 8)}`;
    const approver = await registerApprover(admin, customer, `lost@${customer}.example.com`);
    const base = `/admin/customers/${customer}/approvers/${approver.approver_id}/keys`;
    const rotated = await admin.call<{ key_id: string; api_key: string }>('POST', base, { grace_seconds: 600 });
    expect(rotated.status).toBe(201);
    expect([await works(approver.api_key), await works(rotated.body.api_key)]).toEqual([200, 200]);
    expect((await admin.call('DELETE', `${base}/${rotated.body.key_id}`)).status).toBe(200);
    expect([await works(approver.api_key), await works(rotated.body.api_key)]).toEqual([200, 401]);

    const again = await admin.call<{ approver_id: string; api_key: string; reissued: boolean }>(
      'POST',
      `/admin/customers/${customer}/approvers`,
      { email: `LOST@${customer}.example.com` },
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ approver_id: approver.approver_id, reissued: true });
    expect([await works(approver.api_key), await works(again.body.api_key)]).toEqual([401, 200]);
  });
});
