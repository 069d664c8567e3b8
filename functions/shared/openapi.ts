// OpenAPI 3.1 generated from the routes and the same zod schemas the handlers validate with.
import * as z from 'zod';
import {
  AgentRegistration,
  ApproverRegistration,
  ConflictsQuery,
  CoordinateRequest,
  Identifier,
  KeyRotationRequest,
  ListApprovalsQuery,
  ListRecommendationsQuery,
  PolicyInput,
} from '../core/model/inputs.js';
import { ROUTES } from './routes.js';

const REQUEST_BODIES: Record<string, z.ZodType> = {
  'POST /coordination/coordinate': CoordinateRequest,
  'POST /admin/agents': AgentRegistration,
  'PUT /admin/customers/{customer_id}/policy': PolicyInput,
  'POST /admin/customers/{customer_id}/approvers': ApproverRegistration,
  'POST /admin/agents/{agent_id}/keys': KeyRotationRequest,
  'POST /admin/customers/{customer_id}/approvers/{approver_id}/keys': KeyRotationRequest,
};

const QUERIES: Record<string, z.ZodObject> = {
  'GET /coordination/recommendations': ListRecommendationsQuery,
  'GET /coordination/coordinations/{id}/conflicts': ConflictsQuery,
  'GET /coordination/approvals': ListApprovalsQuery,
  'POST /admin/agents/{agent_id}/keys': z.strictObject({ customer_id: Identifier }),
  'DELETE /admin/agents/{agent_id}/keys/{key_id}': z.strictObject({ customer_id: Identifier }),
};

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string' },
    details: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const key = `${r.method} ${r.path}`;
    const body = REQUEST_BODIES[key];
    const query = QUERIES[key];
    const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryParams = query
      ? Object.entries(query.shape).map(([name, field]) => ({
          name,
          in: 'query',
          required: !(field as z.ZodType).safeParse(undefined).success,
          schema: { type: 'string' },
        }))
      : [];
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: key,
      security: r.public ? [] : [{ bearer: [] }],
      parameters: [...pathParams, ...queryParams],
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) },
              },
            },
          }
        : {}),
      responses: {
        default: { description: 'Error', content: { 'application/json': { schema: ErrorBody } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Arbiter',
      version,
      description: 'Coordinates optimization agents: conflicts, approvals, execution with rollback.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
