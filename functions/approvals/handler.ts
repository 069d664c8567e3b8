// Approvers' API: GET /coordination/approvals, POST /coordination/approvals/{id}/approve|reject.
import * as z from 'zod';
import { deciderFromKey } from '../core/access/approvals.js';
import { readerCustomer } from '../core/access/principals.js';
import { Identifier, ListApprovalsQuery } from '../core/model/inputs.js';
import type { Principal } from '../core/ports/access.js';
import { DECISION_MESSAGES, decide } from '../core/use-cases/decide-approval.js';
import { listApprovals } from '../core/use-cases/list-approvals.js';
import { authenticate } from '../shared/api-keys.js';
import { httpApi, route } from '../shared/http.js';
import { logger } from '../shared/observability.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { workflow } from '../shared/workflow.js';

const deps = once(() => ({ ...stores(), clock, ids, workflow }));

const ById = z.strictObject({ id: Identifier });
const ApproveBody = z.strictObject({ user_id: z.string().min(1).max(320) });
const RejectBody = z.strictObject({
  user_id: z.string().min(1).max(320),
  reason: z.string().trim().min(1, 'a reason is required to reject').max(1000),
});

async function decideByApi(
  id: string,
  principal: Principal,
  userId: string,
  decision: 'approve' | 'reject',
  reason?: string,
) {
  // Decisions are personal: only an approver's own key, naming that approver as user_id.
  const { customerId, approver } = deciderFromKey(principal, userId);
  logger.appendKeys({ approval_id: id });
  const result = await decide({ customerId, approvalId: id, approver, decision, reason, via: 'api' }, deps());
  logger.info(`approval ${result.effect}`, {
    recommendation_id: result.approval.recommendation_id,
    approver: approver.email,
  });
  return { status: 200, body: { message: DECISION_MESSAGES[result.effect], approval: result.approval } };
}

export const routes = {
  'GET /coordination/approvals': route({
    auth: 'key',
    query: ListApprovalsQuery,
    async run({ query, principal }) {
      const customerId = readerCustomer(principal, query.customer_id);
      const page = await listApprovals(customerId, principal, query, deps());
      return { status: 200, body: { ...page, count: page.approvals.length } };
    },
  }),

  'POST /coordination/approvals/{id}/approve': route({
    auth: 'key',
    path: ById,
    body: ApproveBody,
    run: ({ path, body, principal }) => decideByApi(path.id, principal, body.user_id, 'approve'),
  }),

  'POST /coordination/approvals/{id}/reject': route({
    auth: 'key',
    path: ById,
    body: RejectBody,
    run: ({ path, body, principal }) => decideByApi(path.id, principal, body.user_id, 'reject', body.reason),
  }),
};

export const handler = httpApi(routes, authenticate);
