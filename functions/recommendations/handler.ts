// Reading recommendations and plans: GET /coordination/recommendations[/{id}], GET /coordination/plans/{id}.
import { z } from 'zod';
import { customerFor, requireRole } from '../core/access.js';
import { publicApproval } from '../core/approval-gate.js';
import { NotFound } from '../core/errors.js';
import { publicPlan } from '../core/execution.js';
import { Identifier, ListRecommendationsQuery } from '../core/schemas.js';
import { httpApi, route } from '../shared/http.js';
import { logger } from '../shared/observability.js';
import { runtime } from '../shared/runtime.js';

const ById = z.strictObject({ id: Identifier });
const CustomerQuery = z.strictObject({ customer_id: Identifier.optional() });

export const routes = {
  'GET /coordination/recommendations': route({
    auth: 'key',
    query: ListRecommendationsQuery,
    async run({ query, principal }) {
      requireRole(principal, 'agent', 'approver');
      const customerId = customerFor(principal, query.customer_id);
      const page = await runtime().recommendations.listRecommendations(customerId, query);
      return { status: 200, body: { recommendations: page.items, count: page.items.length, ...(page.next ? { next: page.next } : {}) } };
    },
  }),

  'GET /coordination/recommendations/{id}': route({
    auth: 'key',
    path: ById,
    query: CustomerQuery,
    async run({ path, query, principal }) {
      requireRole(principal, 'agent', 'approver');
      const customerId = customerFor(principal, query.customer_id);
      logger.appendKeys({ recommendation_id: path.id });
      const store = runtime().recommendations;
      const [rec] = await store.getRecommendations(customerId, [path.id]);
      if (!rec) throw new NotFound(`recommendation ${path.id} not found`);
      const rt = runtime();
      const [approval, plan] = await Promise.all([
        rec.approval_id ? rt.approvals.getApproval(customerId, rec.approval_id) : undefined,
        rec.plan_id ? rt.plans.getPlan(customerId, rec.plan_id) : undefined,
      ]);
      return { status: 200, body: { ...rec, approval: approval ? publicApproval(approval) : null, plan: plan ? publicPlan(plan) : null } };
    },
  }),

  'GET /coordination/plans/{id}': route({
    auth: 'key',
    path: ById,
    query: CustomerQuery,
    async run({ path, query, principal }) {
      requireRole(principal, 'agent', 'approver');
      const customerId = customerFor(principal, query.customer_id);
      const plan = await runtime().plans.getPlan(customerId, path.id);
      if (!plan) throw new NotFound('Plan not found');
      return { status: 200, body: publicPlan(plan) };
    },
  }),
};

export const handler = httpApi(routes, () => runtime().authenticate);
