// Risk floors over HTTP (issue 8 §2): the customer's action_risk decides approval, auto_approve and
// expiry; the response and the stored recommendation show the declared and the effective risk.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Approval, Recommendation } from '../../functions/core/model/records.js';
import { type ArbiterClient, arbiterClient, registerAgent } from '../../local/arbiter-client.js';
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

async function customerWithPolicy(policy: Record<string, unknown>): Promise<{ id: string; agent: ArbiterClient }> {
  const id = `risk-${randomUUID().slice(0, 8)}`;
  expect((await admin.call('PUT', `/admin/customers/${id}/policy`, policy)).status).toBe(200);
  const { api_key } = await registerAgent(admin, 'cost-agent-1', id);
  return { id, agent: arbiterClient(stack.url, api_key) };
}

type Coordinated = { recommendations: Recommendation[]; approvals: Approval[]; auto_approved: number };

it('holds an understated delete_database for critical approval: 2 approvers within 4 h, despite auto_approve', async () => {
  const c = await customerWithPolicy({ action_risk: { delete_database: 'critical', migrate_to_spot: 'medium' } });
  const reply = await c.agent.call<Coordinated>('POST', '/coordination/coordinate', {
    customer_id: c.id,
    recommendations: [rec({ id: 'drop', action: 'delete_database', risk_level: 'low', affected_resources: ['db-1'] })],
    auto_approve: true,
    execute_now: true,
  });
  expect(reply.status).toBe(200);
  expect(reply.body.auto_approved).toBe(0);
  const [kept] = reply.body.recommendations;
  expect(kept).toMatchObject({
    status: 'pending_approval',
    risk_level: 'low',
    effective_risk: 'critical',
    risk_floor_reason: expect.stringContaining('delete_database is at least critical'),
  });
  const [approval] = reply.body.approvals;
  expect(approval).toMatchObject({ risk_level: 'critical', approvals_required: 2 });
  expect(Date.parse(approval.expires_at) - Date.parse(approval.requested_at)).toBe(4 * 3600_000);
  const stored = await c.agent.call<Recommendation>('GET', '/coordination/recommendations/drop');
  expect(stored.body).toMatchObject({
    risk_level: 'low',
    effective_risk: 'critical',
    risk_floor_reason: kept.risk_floor_reason,
  });
});

it("an explicit step's action raises the floor too", async () => {
  const c = await customerWithPolicy({ action_risk: { delete_database: 'high' } });
  const steps = [{ action: 'take_snapshot' }, { action: 'delete_database' }];
  const reply = await c.agent.call<Coordinated>('POST', '/coordination/coordinate', {
    customer_id: c.id,
    recommendations: [rec({ id: 'sneaky', action: 'tidy', steps: steps as never })],
    auto_approve: true,
  });
  expect(reply.body.recommendations[0]).toMatchObject({
    status: 'pending_approval',
    effective_risk: 'high',
    risk_floor_reason: expect.stringContaining('steps[1].action delete_database'),
  });
  expect(reply.body.approvals[0]).toMatchObject({ risk_level: 'high', approvals_required: 1 });
});

it('default_action_risk covers unlisted actions; without floors a low-risk recommendation is auto-approved as before', async () => {
  const strict = await customerWithPolicy({ default_action_risk: 'medium' });
  const held = await strict.agent.call<Coordinated>('POST', '/coordination/coordinate', {
    customer_id: strict.id,
    recommendations: [rec({ id: 'x', action: 'resize' })],
    auto_approve: true,
  });
  expect(held.body.recommendations[0]).toMatchObject({
    status: 'pending_approval',
    risk_level: 'low',
    effective_risk: 'medium',
  });
  const lax = await customerWithPolicy({});
  const free = await lax.agent.call<Coordinated>('POST', '/coordination/coordinate', {
    customer_id: lax.id,
    recommendations: [rec({ id: 'x', action: 'resize' })],
    auto_approve: true,
  });
  expect(free.body.recommendations[0]).toMatchObject({ status: 'approved', risk_level: 'low', effective_risk: 'low' });
  expect(free.body.recommendations[0].risk_floor_reason).toBeUndefined();
});

it('the policy shows its floors, and a bad one is a 400 naming the action', async () => {
  const c = await customerWithPolicy({ action_risk: { delete_database: 'critical' } });
  const policy = await admin.call<Record<string, unknown>>('GET', `/admin/customers/${c.id}/policy`);
  expect(policy.body).toMatchObject({ action_risk: { delete_database: 'critical' }, default_action_risk: 'low' });
  const bad = await admin.call<{ details: { field: string }[] }>('PUT', `/admin/customers/${c.id}/policy`, {
    action_risk: { delete_database: 'extreme', 'Bad Name': 'low' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.details.map((d) => d.field).sort()).toEqual(['action_risk.Bad Name', 'action_risk.delete_database']);
});
