// The HTTP routes, shared by the CDK API construct and the local gateway so they cannot drift.
// Each route names the Lambda (functions/<handler>/handler.ts) that serves it.

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

export interface Route {
  method: HttpMethod;
  /** API Gateway resource path; `{name}` segments become pathParameters. */
  path: string;
  handler: HandlerName;
  /** Public routes need no API key (the handler still decides what to show). */
  public?: boolean;
}

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/coordination/coordinate', handler: 'coordinate' },
  { method: 'GET', path: '/coordination/recommendations', handler: 'recommendations' },
  { method: 'GET', path: '/coordination/recommendations/{id}', handler: 'recommendations' },
  { method: 'GET', path: '/coordination/plans/{id}', handler: 'recommendations' },
  { method: 'GET', path: '/coordination/coordinations/{id}/conflicts', handler: 'recommendations' },
  { method: 'POST', path: '/coordination/plans/{id}/execute', handler: 'executions' },
  // Agents report asynchronous step results here; signed with the agent's signing secret.
  { method: 'POST', path: '/coordination/steps/{id}/callback', handler: 'executions', public: true },
  { method: 'POST', path: '/admin/agents', handler: 'admin' },
  { method: 'POST', path: '/admin/agents/{agent_id}/keys', handler: 'admin' },
  { method: 'DELETE', path: '/admin/agents/{agent_id}/keys/{key_id}', handler: 'admin' },
  { method: 'GET', path: '/admin/customers/{customer_id}/policy', handler: 'admin' },
  { method: 'PUT', path: '/admin/customers/{customer_id}/policy', handler: 'admin' },
  { method: 'POST', path: '/admin/customers/{customer_id}/approvers', handler: 'admin' },
  { method: 'POST', path: '/admin/customers/{customer_id}/approvers/{approver_id}/keys', handler: 'admin' },
  { method: 'DELETE', path: '/admin/customers/{customer_id}/approvers/{approver_id}/keys/{key_id}', handler: 'admin' },
  { method: 'GET', path: '/coordination/approvals', handler: 'approvals' },
  { method: 'POST', path: '/coordination/approvals/{id}/approve', handler: 'approvals' },
  { method: 'POST', path: '/coordination/approvals/{id}/reject', handler: 'approvals' },
  // The emailed link: signed, so no API key; GET only shows, the form POST decides.
  { method: 'GET', path: '/approvals/{id}/review', handler: 'review', public: true },
  { method: 'POST', path: '/approvals/{id}/decision', handler: 'review', public: true },
  { method: 'GET', path: '/health', handler: 'health', public: true },
  { method: 'GET', path: '/openapi.json', handler: 'health', public: true },
];
