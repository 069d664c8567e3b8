// Approvers' API: GET /coordination/approvals, POST /coordination/approvals/{id}/approve|reject.
import { deciderFromKey } from '../core/access/approvals.js';
import { readerCustomer } from '../core/access/principals.js';
import type { Principal } from '../core/ports/access.js';
import { DECISION_MESSAGES, decide } from '../core/use-cases/decide-approval.js';
import { listApprovals } from '../core/use-cases/list-approvals.js';
import { authenticate } from '../shared/api-keys.js';
import { httpApi, type Implementations } from '../shared/http.js';
import { metrics } from '../shared/metrics.js';
import { logger } from '../shared/observability.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { workflow } from '../shared/workflow.js';

// Decisions are counted (metrics) where they are decided.
const deps = once(() => ({ ...stores(), clock, ids, workflow, metrics }));

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

export const routes: Implementations<'approvals'> = {
  async 'GET /coordination/approvals'({ query, principal }) {
    const customerId = readerCustomer(principal, query.customer_id);
    const page = await listApprovals(customerId, principal, query, deps());
    return { status: 200, body: { ...page, count: page.approvals.length } };
  },

  'POST /coordination/approvals/{id}/approve': ({ path, body, principal }) =>
    decideByApi(path.id, principal, body.user_id, 'approve'),

  'POST /coordination/approvals/{id}/reject': ({ path, body, principal }) =>
    decideByApi(path.id, principal, body.user_id, 'reject', body.reason),
};

export const handler = httpApi('approvals', routes, authenticate);
