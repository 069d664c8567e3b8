// The emailed review link. GET only shows the recommendation (mail scanners prefetch links);
// the form on the page POSTs the decision. Both check the link's signature and expiry first.
import { messagePage, REVIEW_PAGE_CSP, reviewPage } from '../adapters/review-page.js';
import { deciderFromLink, type SignedLink } from '../core/access/approvals.js';
import { DECISION_MESSAGES, decide } from '../core/use-cases/decide-approval.js';
import { viewApprovalForReview } from '../core/use-cases/view-approval-for-review.js';
import { type HttpResult, httpApi, type Implementations } from '../shared/http.js';
import { linkSecret } from '../shared/link-secret.js';
import { metrics } from '../shared/metrics.js';
import { logger } from '../shared/observability.js';
import { noApiKeys } from '../shared/public-routes.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { workflow } from '../shared/workflow.js';

const deps = once(() => ({ ...stores(), clock, ids, workflow, linkSecret, metrics }));

const ERROR_TITLES: Record<number, string> = {
  400: 'Check the form',
  403: 'This link is not valid',
  404: 'Not found',
  409: 'Already decided',
  410: 'This approval has expired',
};

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': REVIEW_PAGE_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const errorPage = {
  render: (status: number, message: string) =>
    messagePage(ERROR_TITLES[status] ?? 'Something went wrong', status >= 500 ? 'Please try again later.' : message),
  headers: PAGE_HEADERS,
};

function html(status: number, body: string): HttpResult {
  return { status, body, headers: PAGE_HEADERS };
}

/** The approver and approval a valid link speaks for (core/access/approvals.ts checks it). */
async function resolveLink(approvalId: string, link: SignedLink) {
  const decider = await deciderFromLink(approvalId, link, deps());
  logger.appendKeys({
    customer_id: decider.customerId,
    approval_id: approvalId,
    recommendation_id: decider.approval.recommendation_id,
  });
  return decider;
}

export const routes: Implementations<'review'> = {
  async 'GET /approvals/{id}/review'({ path, query }) {
    const { customerId, approver, approval } = await resolveLink(path.id, query);
    const { recommendation, brief } = await viewApprovalForReview(customerId, approval, deps());
    return html(200, reviewPage(recommendation, approval, query, approver.email, brief));
  },

  async 'POST /approvals/{id}/decision'({ path, body }) {
    const { customerId, approver } = await resolveLink(path.id, body);
    const result = await decide(
      {
        customerId,
        approvalId: path.id,
        approver,
        decision: body.decision,
        reason: body.reason,
        via: 'link',
      },
      deps(),
    );
    logger.info(`approval ${result.effect}`, { approver: approver.email, via: 'link' });
    return html(
      200,
      messagePage(
        DECISION_MESSAGES[result.effect],
        `Recommendation ${result.approval.recommendation_id}: the approval is now ${result.approval.status}.`,
      ),
    );
  },
};

export const handler = httpApi('review', routes, noApiKeys, errorPage);
