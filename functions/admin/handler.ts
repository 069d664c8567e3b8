// Admin: registering agents and setting a customer's approval policy.
import { z } from 'zod';
import { requireAdmin } from '../core/access.js';
import { registerAgent } from '../core/agents.js';
import { policyFrom } from '../core/policy.js';
import { AgentRegistration, Identifier, PolicyInput } from '../core/schemas.js';
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
