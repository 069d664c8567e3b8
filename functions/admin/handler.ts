// Admin: registering agents and approvers, rotating and revoking their keys, and setting a
// customer's approval policy.
import { requireAdmin } from '../core/access/principals.js';
import type { KeyOwner, Principal } from '../core/ports/access.js';
import { setPolicy, viewPolicy } from '../core/use-cases/customer-policy.js';
import { registerAgent } from '../core/use-cases/register-agent.js';
import { registerApprover } from '../core/use-cases/register-approver.js';
import { revokeKey } from '../core/use-cases/revoke-key.js';
import { rotateKey } from '../core/use-cases/rotate-key.js';
import { viewAgent } from '../core/use-cases/view-agent.js';
import { authenticate } from '../shared/api-keys.js';
import { type HttpResult, httpApi, type Implementations } from '../shared/http.js';
import { notifier } from '../shared/notifier.js';
import { logger } from '../shared/observability.js';
import { clock, ids, once } from '../shared/runtime.js';
import { sealedStores } from '../shared/sealed-stores.js';
import { workflow } from '../shared/workflow.js';

// Registering an agent and rotating its key seal a new signing secret.
// Resuming a customer wakes its paused plans (workflow).
const deps = once(() => ({ ...sealedStores(), clock, ids, notifier, workflow }));

/** The owner as the answer names it: `agent_id` or `approver_id`, and the customer. */
const named = (owner: KeyOwner) => ({ [`${owner.kind}_id`]: owner.id, customer_id: owner.customer_id });

async function rotated(principal: Principal, owner: KeyOwner, graceSeconds: number): Promise<HttpResult> {
  requireAdmin(principal);
  const key = await rotateKey(owner, graceSeconds, deps());
  logger.info(`${owner.kind} key rotated`, { ...named(owner), key_id: key.key_id, grace_seconds: graceSeconds });
  return { status: 201, body: { ...named(owner), ...key } };
}

async function revoked(principal: Principal, owner: KeyOwner, keyId: string): Promise<HttpResult> {
  requireAdmin(principal);
  await revokeKey(owner, keyId, deps());
  logger.info(`${owner.kind} key revoked`, { ...named(owner), key_id: keyId });
  return { status: 200, body: { ...named(owner), key_id: keyId, revoked: true } };
}

export const routes: Implementations<'admin'> = {
  async 'POST /admin/agents'({ body, principal }) {
    requireAdmin(principal);
    const agent = await registerAgent(body, deps());
    logger.info('agent registered', { agent_id: agent.agent_id, customer_id: agent.customer_id });
    return { status: 201, body: agent };
  },

  async 'POST /admin/customers/{customer_id}/approvers'({ path, body, principal }) {
    requireAdmin(principal);
    const approver = await registerApprover({ customer_id: path.customer_id, ...body }, deps());
    logger.info(approver.reissued ? 'approver registered again' : 'approver registered', {
      approver_id: approver.approver_id,
      customer_id: approver.customer_id,
      key_id: approver.key_id,
    });
    return { status: approver.reissued ? 200 : 201, body: approver };
  },

  async 'GET /admin/agents/{agent_id}'({ path, query, principal }) {
    requireAdmin(principal);
    return { status: 200, body: await viewAgent(query.customer_id, path.agent_id, deps()) };
  },

  'POST /admin/agents/{agent_id}/keys': ({ path, query, body, principal }) =>
    rotated(principal, { kind: 'agent', customer_id: query.customer_id, id: path.agent_id }, body.grace_seconds),

  'DELETE /admin/agents/{agent_id}/keys/{key_id}': ({ path, query, principal }) =>
    revoked(principal, { kind: 'agent', customer_id: query.customer_id, id: path.agent_id }, path.key_id),

  'POST /admin/customers/{customer_id}/approvers/{approver_id}/keys': ({ path, body, principal }) =>
    rotated(principal, { kind: 'approver', customer_id: path.customer_id, id: path.approver_id }, body.grace_seconds),

  'DELETE /admin/customers/{customer_id}/approvers/{approver_id}/keys/{key_id}': ({ path, principal }) =>
    revoked(principal, { kind: 'approver', customer_id: path.customer_id, id: path.approver_id }, path.key_id),

  async 'GET /admin/customers/{customer_id}/policy'({ path, principal }) {
    requireAdmin(principal);
    return { status: 200, body: await viewPolicy(path.customer_id, deps()) };
  },

  async 'PUT /admin/customers/{customer_id}/policy'({ path, body, principal }) {
    requireAdmin(principal);
    const { policy, resumed } = await setPolicy(path.customer_id, body, deps());
    logger.info('policy updated', { customer_id: path.customer_id, paused: body.paused ?? false, resumed });
    return { status: 200, body: policy };
  },
};

export const handler = httpApi('admin', routes, authenticate);
