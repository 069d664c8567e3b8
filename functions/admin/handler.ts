// Admin: registering agents and approvers, and setting a customer's approval policy.
import { z } from 'zod';
import { requireAdmin } from '../core/access.js';
import { registerAgent } from '../core/agents.js';
import { policyFrom } from '../core/policy.js';
import { AgentRegistration, ApproverRegistration, Identifier, PolicyInput } from '../core/schemas.js';
import { registerApprover } from '../core/approvers.js';
import { httpApi, route } from '../shared/http.js';
import { logger } from '../shared/observability.js';
import { runtime } from '../shared/runtime.js';

const CustomerPath = z.strictObject({ customer_id: Identifier });

export const routes = {
  'POST /admin/agents': route({
    auth: 'key',
    body: AgentRegistration,
    async run({ body, principal }) {
      requireAdmin(principal);
      const rt = runtime();
      const agent = await registerAgent(body, { credentials: rt.credentials, clock: rt.clock });
      logger.info('agent registered', { agent_id: agent.agent_id, customer_id: agent.customer_id });
      return { status: 201, body: agent };
    },
  }),

  'POST /admin/customers/{customer_id}/approvers': route({
    auth: 'key',
    path: CustomerPath,
    body: ApproverRegistration,
    async run({ path, body, principal }) {
      requireAdmin(principal);
      const rt = runtime();
      const approver = await registerApprover({ customer_id: path.customer_id, ...body }, { approvers: rt.approvers, notifier: rt.notifier, clock: rt.clock, ids: rt.ids });
      logger.info('approver registered', { approver_id: approver.approver_id, customer_id: approver.customer_id });
      return { status: 201, body: approver };
    },
  }),

  'GET /admin/customers/{customer_id}/policy': route({
    auth: 'key',
    path: CustomerPath,
    async run({ path, principal }) {
      requireAdmin(principal);
      const stored = await runtime().policies.getPolicy(path.customer_id);
      return { status: 200, body: { customer_id: path.customer_id, ...policyFrom(stored), customized: stored !== undefined } };
    },
  }),

  'PUT /admin/customers/{customer_id}/policy': route({
    auth: 'key',
    path: CustomerPath,
    body: PolicyInput,
    async run({ path, body, principal }) {
      requireAdmin(principal);
      await runtime().policies.putPolicy(path.customer_id, body);
      logger.info('policy updated', { customer_id: path.customer_id });
      return { status: 200, body: { customer_id: path.customer_id, ...policyFrom(body), customized: true } };
    },
  }),
};

export const handler = httpApi(routes, () => runtime().authenticate);
