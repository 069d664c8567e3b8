// The registry's success answers: for each route, its status, what it means, the body's schema and one
// example. Typed by RouteKey, so a route added to routes.ts without its answers does not compile.
import type * as z from 'zod';
import * as S from './response-schemas.js';
import { EXAMPLES } from './route-examples.js';
import type { RouteKey } from './routes.js';

export interface SuccessResponse {
  status: 200 | 201 | 202;
  description: string;
  schema: z.ZodType;
  example: unknown;
}

const ok = (description: string, schema: z.ZodType, example: unknown, status: SuccessResponse['status'] = 200) => ({
  status,
  description,
  schema,
  example,
});

export const RESPONSES: Record<RouteKey, readonly SuccessResponse[]> = {
  'POST /coordination/coordinate': [ok('The coordination', S.CoordinationSchema, EXAMPLES.coordination)],
  'GET /coordination/recommendations': [
    ok('A page of recommendations', S.RecommendationPage, EXAMPLES.recommendationPage),
  ],
  'GET /coordination/recommendations/{id}': [
    ok('The recommendation, its approval and plan', S.RecommendationViewSchema, EXAMPLES.recommendationView),
  ],
  'POST /coordination/recommendations/{id}/cancel': [
    ok('Cancelled: its approval closed, its workflow ended before any lock', S.CancelResponse, EXAMPLES.cancelled),
    ok(
      'Executing: cancelling; it ends cancelled (or rollback_failed) once its completed steps are rolled back',
      S.CancelResponse,
      EXAMPLES.cancelling,
      202,
    ),
  ],
  'GET /coordination/plans/{id}': [ok('The plan', S.PlanSchema, EXAMPLES.plan)],
  'GET /coordination/coordinations/{id}/conflicts': [
    ok('A page of the conflicts', S.ConflictPageSchema, EXAMPLES.conflictPage),
  ],
  'POST /coordination/plans/{id}/execute': [
    ok(
      'The workflow runs the plan; follow it at GET /coordination/plans/{id}',
      S.ExecutionStarted,
      EXAMPLES.executionStarted,
      202,
    ),
  ],
  'POST /coordination/steps/{id}/callback': [
    ok('The step result was accepted', S.CallbackAccepted, EXAMPLES.callbackAccepted),
  ],
  'POST /admin/agents': [
    ok('The agent, with its key and secret', S.RegisteredAgentSchema, EXAMPLES.registeredAgent, 201),
  ],
  'GET /admin/agents/{agent_id}': [ok('The agent and its circuit breaker', S.AgentViewSchema, EXAMPLES.agentView)],
  'POST /admin/agents/{agent_id}/keys': [ok('The new key', S.RotatedAgentKey, EXAMPLES.rotatedAgentKey, 201)],
  'DELETE /admin/agents/{agent_id}/keys/{key_id}': [
    ok('The key no longer works', S.RevokedAgentKey, EXAMPLES.revokedAgentKey),
  ],
  'GET /admin/customers/{customer_id}/policy': [ok('The policy', S.PolicySchema, EXAMPLES.policy)],
  'PUT /admin/customers/{customer_id}/policy': [ok('The policy as now in force', S.PolicySchema, EXAMPLES.policy)],
  'POST /admin/customers/{customer_id}/approvers': [
    ok('A new approver', S.RegisteredApproverSchema, EXAMPLES.registeredApprover, 201),
    ok('An approver already registered: a new key, the old keys revoked', S.RegisteredApproverSchema, {
      ...EXAMPLES.registeredApprover,
      reissued: true,
    }),
  ],
  'POST /admin/customers/{customer_id}/approvers/{approver_id}/keys': [
    ok('The new key', S.RotatedApproverKey, EXAMPLES.rotatedApproverKey, 201),
  ],
  'DELETE /admin/customers/{customer_id}/approvers/{approver_id}/keys/{key_id}': [
    ok('The key no longer works', S.RevokedApproverKey, EXAMPLES.revokedApproverKey),
  ],
  'GET /coordination/approvals': [ok('A page of pending approvals', S.ApprovalPage, EXAMPLES.approvalPage)],
  'POST /coordination/approvals/{id}/approve': [ok('The vote and the approval', S.Decision, EXAMPLES.approved)],
  'POST /coordination/approvals/{id}/reject': [ok('The vote and the approval', S.Decision, EXAMPLES.rejected)],
  'GET /approvals/{id}/review': [ok('The review page', S.Html, EXAMPLES.page)],
  'POST /approvals/{id}/decision': [ok('A page saying what the decision did', S.Html, EXAMPLES.page)],
  'GET /health': [ok('Healthy, or degraded (approvals and execution wait)', S.HealthSchema, EXAMPLES.health)],
  'GET /openapi.json': [ok('This document', S.OpenApiSchema, EXAMPLES.openapi)],
  'GET /docs': [ok('The API reference page', S.Html, EXAMPLES.page)],
  'GET /docs/{asset}': [ok('The file', S.Text, EXAMPLES.asset)],
};
