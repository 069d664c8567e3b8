// Reading recommendations, plans and a coordination's conflicts: GET /coordination/recommendations[/{id}],
// GET /coordination/plans/{id}, GET /coordination/coordinations/{id}/conflicts.
import { readerCustomer } from '../core/access/principals.js';
import { NotFound } from '../core/model/errors.js';
import { cutByBytes } from '../core/rules/page-bytes.js';
import { publicPlan } from '../core/rules/public-view.js';
import { viewRecommendation } from '../core/use-cases/view-recommendation.js';
import { authenticate } from '../shared/api-keys.js';
import { httpApi, type Implementations } from '../shared/http.js';
import { logger } from '../shared/observability.js';
import { stores } from '../shared/stores.js';

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

  async 'GET /coordination/plans/{id}'({ path, query, principal }) {
    const customerId = readerCustomer(principal, query.customer_id);
    const plan = await stores().plans.getPlan(customerId, path.id);
    if (!plan) throw new NotFound('Plan not found');
    return { status: 200, body: publicPlan(plan) };
  },
};

export const handler = httpApi('recommendations', routes, authenticate);
