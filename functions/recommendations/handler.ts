// Reading recommendations, plans and a coordination's conflicts: GET /coordination/recommendations[/{id}],
// GET /coordination/plans/{id}, GET /coordination/coordinations/{id}/conflicts; and cancelling one:
// POST /coordination/recommendations/{id}/cancel.
import { customerFor, readerCustomer, requireRole } from '../core/access/principals.js';
import { NotFound } from '../core/model/errors.js';
import { cutByBytes } from '../core/rules/page-bytes.js';
import { publicPlan } from '../core/rules/public-view.js';
import { cancelRecommendation } from '../core/use-cases/cancel-recommendation.js';
import { viewRecommendation } from '../core/use-cases/view-recommendation.js';
import { authenticate } from '../shared/api-keys.js';
import { httpApi, type Implementations } from '../shared/http.js';
import { logger } from '../shared/observability.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { workflow } from '../shared/workflow.js';

// Cancelling ends workflows (signal, stop), cancels dependents and revives those it had beaten (start).
const cancelDeps = once(() => ({ ...stores(), clock, ids, workflow }));

export const routes: Implementations<'recommendations'> = {
  async 'GET /coordination/recommendations'({ query, principal }) {
    const customerId = readerCustomer(principal, query.customer_id);
    const { items, next } = cutByBytes(await stores().recommendations.listRecommendations(customerId, query), (r) => r);
    return { status: 200, body: { recommendations: items, count: items.length, ...(next ? { next } : {}) } };
  },

  async 'GET /coordination/recommendations/{id}'({ path, query, principal }) {
    const customerId = readerCustomer(principal, query.customer_id);
    logger.appendKeys({ recommendation_id: path.id });
    return { status: 200, body: await viewRecommendation(customerId, path.id, stores()) };
  },

  async 'GET /coordination/coordinations/{id}/conflicts'({ path, query, principal }) {
    const customerId = readerCustomer(principal, query.customer_id);
    const page = await stores().recommendations.listCoordinationConflicts(customerId, path.id, query);
    if (!page) throw new NotFound(`coordination ${path.id} not found`);
    return { status: 200, body: { coordination_id: path.id, ...page, count: page.conflicts.length } };
  },

  async 'POST /coordination/recommendations/{id}/cancel'({ path, query, body, principal }) {
    requireRole(principal, 'agent');
    const customerId = customerFor(principal, query.customer_id);
    logger.appendKeys({ recommendation_id: path.id });
    const result = await cancelRecommendation(
      { customer_id: customerId, recommendation_id: path.id, reason: body.reason, principal },
      cancelDeps(),
    );
    logger.info(result.status === 'cancelled' ? 'recommendation cancelled' : 'cancel requested', {
      by: result.cancel_requested.by,
    });
    return { status: result.status === 'cancelled' ? 200 : 202, body: result };
  },

  async 'GET /coordination/plans/{id}'({ path, query, principal }) {
    const customerId = readerCustomer(principal, query.customer_id);
    const plan = await stores().plans.getPlan(customerId, path.id);
    if (!plan) throw new NotFound('Plan not found');
    return { status: 200, body: publicPlan(plan) };
  },
};

export const handler = httpApi('recommendations', routes, authenticate);
