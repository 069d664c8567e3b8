// The route registry: every HTTP route once, with who may call it, what it reads (path, query, body as
// the zod schemas the handler validates with) and a summary. From it come the API Gateway resources
// (lib/api.ts), the local gateway, each handler's dispatch (shared/http.ts) and /openapi.json, whose
// responses and examples are in shared/responses.ts (kept apart: only the document needs them).
import * as z from 'zod';
import { ApproveBody, DecisionForm, RejectBody, ReviewQuery } from '../core/model/decision-inputs.js';
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
import { StepCallbackSchema } from '../core/protocol/agent-steps.js';
import { DOCS_ASSETS } from './docs-assets.js';

export const HANDLER_NAMES = [
  'coordinate',
  'recommendations',
  'admin',
  'health',
  'approvals',
  'review',
  'executions',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

export * from './task-handlers.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call. The first four need `Authorization: Bearer <key>` (the handler checks the role and
 * customer); `agent-signature` and `signed-link` carry their credential in the request itself.
 */
export type Access = 'admin' | 'agent' | 'approver' | 'reader' | 'agent-signature' | 'signed-link' | 'public';
const KEY_ACCESS: readonly Access[] = ['admin', 'agent', 'approver', 'reader'];

export interface RouteDef {
  method: HttpMethod;
  /** API Gateway resource path; `{name}` segments become pathParameters. */
  path: string;
  /** The Lambda (functions/<handler>/handler.ts) that serves it. */
  handler: HandlerName;
  access: Access;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** How the body arrives: JSON (the API) or an HTML form (the review page). */
  bodyType?: 'json' | 'form';
  /** What a success answers with when it is not JSON. */
  produces?: 'text/html' | 'text/plain';
}

/** The `{ [METHOD path]: route }` table, its keys typed from the list. */
function registry<const T extends readonly RouteDef[]>(list: T) {
  return Object.fromEntries(list.map((r) => [`${r.method} ${r.path}`, r])) as {
    [R in T[number] as `${R['method']} ${R['path']}`]: R;
  };
}

const ById = z.strictObject({ id: Identifier });
const CustomerPath = z.strictObject({ customer_id: Identifier });
const AgentPath = z.strictObject({ agent_id: Identifier });
const ApproverPath = CustomerPath.extend({ approver_id: Identifier });
/** Agent ids are unique per customer: the customer is named in the query. */
const CustomerQuery = z.strictObject({ customer_id: Identifier });
/** Optional for a key bound to one customer; an admin key must name it. */
const OptionalCustomer = z.strictObject({ customer_id: Identifier.optional() });

/** Why it is cancelled: kept in its history and in the reason it ends with. */
const CancelBody = z.strictObject({
  reason: z.string().trim().min(1).max(1000).describe('Why it is cancelled (kept in its history)'),
});

/**
 * A PUT of the policy takes the document its GET returns: `customer_id` (if it names the path's
 * customer) and `customized` are read-only and ignored.
 */
export const PolicyDocument = PolicyInput.extend({
  customer_id: Identifier.optional(),
  customized: z.boolean().optional(),
});

const LIST = [
  {
    method: 'POST',
    path: '/coordination/coordinate',
    handler: 'coordinate',
    access: 'agent',
    tag: 'Coordination',
    summary: 'Submit a batch of recommendations: conflicts are resolved, approvals requested, plans built',
    body: CoordinateRequest,
  },
  {
    method: 'GET',
    path: '/coordination/recommendations',
    handler: 'recommendations',
    access: 'reader',
    tag: 'Coordination',
    summary: "List a customer's recommendations, newest first, page by page",
    query: ListRecommendationsQuery,
  },
  {
    method: 'GET',
    path: '/coordination/recommendations/{id}',
    handler: 'recommendations',
    access: 'reader',
    tag: 'Coordination',
    summary: 'Get one recommendation with its approval and plan',
    params: ById,
    query: OptionalCustomer,
  },
  {
    method: 'POST',
    path: '/coordination/recommendations/{id}/cancel',
    handler: 'recommendations',
    access: 'agent',
    tag: 'Coordination',
    summary: 'Cancel a recommendation: at once before it runs; executing, it stops and rolls back',
    params: ById,
    query: OptionalCustomer,
    body: CancelBody,
  },
  {
    method: 'GET',
    path: '/coordination/plans/{id}',
    handler: 'recommendations',
    access: 'reader',
    tag: 'Execution',
    summary: "Get an execution plan and each step's progress",
    params: ById,
    query: OptionalCustomer,
  },
  {
    method: 'GET',
    path: '/coordination/coordinations/{id}/conflicts',
    handler: 'recommendations',
    access: 'reader',
    tag: 'Coordination',
    summary: 'List the conflicts a coordination detected and how each was resolved',
    params: ById,
    query: ConflictsQuery,
  },
  {
    method: 'POST',
    path: '/coordination/plans/{id}/execute',
    handler: 'executions',
    access: 'agent',
    tag: 'Execution',
    summary: "Run an approved recommendation's plan",
    params: ById,
    query: OptionalCustomer,
  },
  {
    method: 'POST',
    path: '/coordination/steps/{id}/callback',
    handler: 'executions',
    access: 'agent-signature',
    tag: 'Execution',
    summary: 'Report the result of a step the agent accepted with 202 (signed like the step request)',
    params: z.strictObject({ id: z.string().min(1).max(200) }),
    query: z.strictObject({ dispatch: z.string().min(1).max(64).optional() }),
    body: StepCallbackSchema,
  },
  {
    method: 'POST',
    path: '/admin/agents',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: 'Register an agent: returns its API key and signing secret (shown once)',
    body: AgentRegistration,
  },
  {
    method: 'GET',
    path: '/admin/agents/{agent_id}',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: 'An agent and its circuit breaker: closed, open (until when) or half-open, and its failures in a row',
    params: AgentPath,
    query: CustomerQuery,
  },
  {
    method: 'POST',
    path: '/admin/agents/{agent_id}/keys',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: "Rotate an agent's API key and signing secret",
    params: AgentPath,
    query: CustomerQuery,
    body: KeyRotationRequest,
  },
  {
    method: 'DELETE',
    path: '/admin/agents/{agent_id}/keys/{key_id}',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: "Revoke one of an agent's keys",
    params: AgentPath.extend({ key_id: Identifier }),
    query: CustomerQuery,
  },
  {
    method: 'GET',
    path: '/admin/customers/{customer_id}/policy',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: "Get a customer's approval policy (the defaults when none was set)",
    params: CustomerPath,
  },
  {
    method: 'PUT',
    path: '/admin/customers/{customer_id}/policy',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: "Set a customer's approval policy (accepts the document GET returns)",
    params: CustomerPath,
    body: PolicyDocument,
  },
  {
    method: 'POST',
    path: '/admin/customers/{customer_id}/approvers',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: 'Register an approver: returns their API key; approval emails go to their address',
    params: CustomerPath,
    body: ApproverRegistration,
  },
  {
    method: 'POST',
    path: '/admin/customers/{customer_id}/approvers/{approver_id}/keys',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: "Rotate an approver's API key",
    params: ApproverPath,
    body: KeyRotationRequest,
  },
  {
    method: 'DELETE',
    path: '/admin/customers/{customer_id}/approvers/{approver_id}/keys/{key_id}',
    handler: 'admin',
    access: 'admin',
    tag: 'Admin',
    summary: "Revoke one of an approver's keys",
    params: ApproverPath.extend({ key_id: Identifier }),
  },
  {
    method: 'GET',
    path: '/coordination/approvals',
    handler: 'approvals',
    access: 'reader',
    tag: 'Approvals',
    summary: 'List pending approvals, soonest expiry first',
    query: ListApprovalsQuery,
  },
  {
    method: 'POST',
    path: '/coordination/approvals/{id}/approve',
    handler: 'approvals',
    access: 'approver',
    tag: 'Approvals',
    summary: 'Approve, with your own approver key (user_id: your email)',
    params: ById,
    body: ApproveBody,
  },
  {
    method: 'POST',
    path: '/coordination/approvals/{id}/reject',
    handler: 'approvals',
    access: 'approver',
    tag: 'Approvals',
    summary: 'Reject, with your own approver key and a reason',
    params: ById,
    body: RejectBody,
  },
  {
    method: 'GET',
    path: '/approvals/{id}/review',
    handler: 'review',
    access: 'signed-link',
    tag: 'Approvals',
    summary: 'The emailed review page (shows only; mail scanners prefetch links)',
    params: ById,
    query: ReviewQuery,
    produces: 'text/html',
  },
  {
    method: 'POST',
    path: '/approvals/{id}/decision',
    handler: 'review',
    access: 'signed-link',
    tag: 'Approvals',
    summary: "The review page's form: approve or reject (a reason is required to reject)",
    params: ById,
    body: DecisionForm,
    bodyType: 'form',
    produces: 'text/html',
  },
  {
    method: 'GET',
    path: '/health',
    handler: 'health',
    access: 'public',
    tag: 'Service',
    summary: 'Health of the service and its database, workflow and notifications',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    handler: 'health',
    access: 'public',
    tag: 'Service',
    summary: 'This OpenAPI 3.1 document',
  },
  {
    method: 'GET',
    path: '/docs',
    handler: 'health',
    access: 'public',
    tag: 'Service',
    summary: 'The API reference (Swagger UI) of this document',
    produces: 'text/html',
  },
  {
    method: 'GET',
    path: '/docs/{asset}',
    handler: 'health',
    access: 'public',
    tag: 'Service',
    summary: "The API reference's scripts and styles (swagger-ui-dist, served by Arbiter: no CDN)",
    params: z.strictObject({ asset: z.enum(DOCS_ASSETS) }),
    produces: 'text/plain',
  },
] as const satisfies readonly RouteDef[];

export const ROUTE_TABLE = registry(LIST);
export type RouteKey = keyof typeof ROUTE_TABLE;
export type RouteOf<K extends RouteKey> = (typeof ROUTE_TABLE)[K];
export type HandlerRoutes<H extends HandlerName> = {
  [K in RouteKey]: RouteOf<K>['handler'] extends H ? K : never;
}[RouteKey];

export const routeKey = (route: Pick<RouteDef, 'method' | 'path'>) => `${route.method} ${route.path}`;
/** A Bearer API key is needed (the handler checks the role and customer). */
export const needsKey = (route: RouteDef) => KEY_ACCESS.includes(route.access);

export interface Route extends RouteDef {
  /** No API key: public, or authenticated by a signature in the request. */
  public: boolean;
}

export const ROUTES: readonly Route[] = (LIST as readonly RouteDef[]).map((r) => ({ ...r, public: !needsKey(r) }));
