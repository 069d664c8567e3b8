// The HTTP routes, shared by the CDK API construct and the local gateway so they cannot drift.
// Each route names the Lambda (functions/<handler>/handler.ts) that serves it.

export const HANDLER_NAMES = ['coordinate', 'recommendations', 'admin', 'health', 'approvals', 'review', 'executions'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/**
 * Lambdas the workflow invokes (statemachines/*.asl.json), not the API. Each is
 * functions/<name>/handler.ts; the ASL names it through the placeholder given here.
 */
export const TASK_HANDLERS = {
  'request-approval': 'RequestApprovalFunctionArn',
  'record-outcome': 'RecordOutcomeFunctionArn',
  'await-execution': 'AwaitExecutionFunctionArn',
  'check-dependencies': 'CheckDependenciesFunctionArn',
  'resource-locks': 'ResourceLocksFunctionArn',
  'record-step': 'RecordStepFunctionArn',
  'dispatch-step': 'DispatchStepFunctionArn',
} as const;
export type TaskHandlerName = keyof typeof TASK_HANDLERS;

/** Lambdas triggered by events (EventBridge), neither by the API nor by the ASL. */
export const EVENT_HANDLERS = ['execution-ended'] as const;
export type EventHandlerName = (typeof EVENT_HANDLERS)[number];

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
  { method: 'POST', path: '/coordination/plans/{id}/execute', handler: 'executions' },
  // Agents report asynchronous step results here; signed with the agent's signing secret.
  { method: 'POST', path: '/coordination/steps/{id}/callback', handler: 'executions', public: true },
  { method: 'POST', path: '/admin/agents', handler: 'admin' },
  { method: 'GET', path: '/admin/customers/{customer_id}/policy', handler: 'admin' },
  { method: 'PUT', path: '/admin/customers/{customer_id}/policy', handler: 'admin' },
  { method: 'POST', path: '/admin/customers/{customer_id}/approvers', handler: 'admin' },
  { method: 'GET', path: '/coordination/approvals', handler: 'approvals' },
  { method: 'POST', path: '/coordination/approvals/{id}/approve', handler: 'approvals' },
  { method: 'POST', path: '/coordination/approvals/{id}/reject', handler: 'approvals' },
  // The emailed link: signed, so no API key; GET only shows, the form POST decides.
  { method: 'GET', path: '/approvals/{id}/review', handler: 'review', public: true },
  { method: 'POST', path: '/approvals/{id}/decision', handler: 'review', public: true },
  { method: 'GET', path: '/health', handler: 'health', public: true },
  { method: 'GET', path: '/openapi.json', handler: 'health', public: true },
];
