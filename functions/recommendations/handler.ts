// Reading recommendations, plans and a coordination's conflicts: GET /coordination/recommendations[/{id}],
// GET /coordination/plans/{id}, GET /coordination/coordinations/{id}/conflicts.
import * as z from 'zod';
import { readerCustomer } from '../core/access/principals.js';
import { NotFound } from '../core/model/errors.js';
import { ConflictsQuery, Identifier, ListRecommendationsQuery } from '../core/model/inputs.js';
import { cutByBytes } from '../core/rules/page-bytes.js';
import { publicPlan } from '../core/rules/public-view.js';
import { viewRecommendation } from '../core/use-cases/view-recommendation.js';
import { authenticate } from '../shared/api-keys.js';
import { httpApi, route } from '../shared/http.js';
import { logger } from '../shared/observability.js';
import { stores } from '../shared/stores.js';

const ById = z.strictObject({ id: Identifier });
const CustomerQuery = z.strictObject({ customer_id: Identifier.optional() });

export const routes = {
  'GET /coordination/recommendations': route({
    auth: 'key',
    query: ListRecommendationsQuery,
    async run({ query, principal }) {
      const customerId = readerCustomer(principal, query.customer_id);
      const { items, next } = cutByBytes(
        await stores().recommendations.listRecommendations(customerId, query),
        (r) => r,
      );
      return { status: 200, body: { recommendations: items, count: items.length, ...(next ? { next } : {}) } };
    },
  }),

  'GET /coordination/recommendations/{id}': route({
    auth: 'key',
    path: ById,
    query: CustomerQuery,
    async run({ path, query, principal }) {
      const customerId = readerCustomer(principal, query.customer_id);
      logger.appendKeys({ recommendation_id: path.id });
      return { status: 200, body: await viewRecommendation(customerId, path.id, stores()) };
    },
  }),

  'GET /coordination/coordinations/{id}/conflicts': route({
    auth: 'key',
    path: ById,
    query: ConflictsQuery,
    async run({ path, query, principal }) {
      const customerId = readerCustomer(principal, query.customer_id);
      const page = await stores().recommendations.listCoordinationConflicts(customerId, path.id, query);
      if (!page) throw new NotFound(`coordination ${path.id} not found`);
      return { status: 200, body: { coordination_id: path.id, ...page, count: page.conflicts.length } };
    },
  }),

  'GET /coordination/plans/{id}': route({
    auth: 'key',
    path: ById,
    query: CustomerQuery,
    async run({ path, query, principal }) {
      const customerId = readerCustomer(principal, query.customer_id);
      const plan = await stores().plans.getPlan(customerId, path.id);
      if (!plan) throw new NotFound('Plan not found');
      return { status: 200, body: publicPlan(plan) };
    },
  }),
};

export const handler = httpApi(routes, authenticate);
