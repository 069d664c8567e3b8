// Admin: registering agents and approvers, rotating and revoking their keys, and setting a
// customer's approval policy.
import { requireAdmin } from '../core/access/principals.js';
import { InvalidInput, NotFound } from '../core/model/errors.js';
import type { KeyOwner, Principal } from '../core/ports/access.js';
import { policyFrom } from '../core/rules/policy.js';
import { viewAgentCircuit } from '../core/use-cases/agent-circuit.js';
import { wakePaused } from '../core/use-cases/execution-hold.js';
import { registerAgent } from '../core/use-cases/register-agent.js';
import { registerApprover } from '../core/use-cases/register-approver.js';
import { revokeKey } from '../core/use-cases/revoke-key.js';
import { rotateKey } from '../core/use-cases/rotate-key.js';
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
    // Independent reads: the registration and the circuit.
    const [agent, { agent_id: _id, ...circuit }] = await Promise.all([
      deps().agents.getAgent(query.customer_id, path.agent_id),
      viewAgentCircuit(query.customer_id, path.agent_id, deps()),
    ]);
    if (!agent) throw new NotFound(`agent ${path.agent_id} is not registered for customer ${query.customer_id}`);
    // Never its secrets: the record as registered, and the circuit.
    const { customer_id, role = 'agent', endpoint_url, created_at } = agent;
    return {
      status: 200,
      body: {
        agent_id: agent.agent_id,
        customer_id,
        role,
        ...(endpoint_url ? { endpoint_url } : {}),
        created_at,
        circuit,
      },
    };
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
    const stored = await deps().policies.getPolicy(path.customer_id);
    return {
      status: 200,
      body: { customer_id: path.customer_id, ...policyFrom(stored), customized: stored !== undefined },
    };
  },

  async 'PUT /admin/customers/{customer_id}/policy'({ path, body, principal }) {
    requireAdmin(principal);
    const { customer_id, customized: _readOnly, ...policy } = body;
    if (customer_id !== undefined && customer_id !== path.customer_id)
      throw new InvalidInput('invalid body: customer_id', [
        { field: 'customer_id', message: `must be the customer in the path (${path.customer_id}) or left out` },
      ]);
    await deps().policies.putPolicy(path.customer_id, policy);
    // Resumed (or never paused): plans waiting in "Paused" go on now, not at their next look.
    const resumed = policy.paused ? 0 : await wakePaused(path.customer_id, deps());
    logger.info('policy updated', { customer_id: path.customer_id, paused: policy.paused ?? false, resumed });
    return { status: 200, body: { customer_id: path.customer_id, ...policyFrom(policy), customized: true } };
  },
};

export const handler = httpApi('admin', routes, authenticate);
