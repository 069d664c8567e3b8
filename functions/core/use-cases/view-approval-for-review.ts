// What the emailed review page shows: the approval's recommendation and the brief an approver is asked
// to accept (the same brief as the email's). The page itself is rendered by adapters/review-page.ts.
import { type ApprovalBrief, approvalBrief } from '../messages/approval-brief.js';
import type { Approval, Recommendation } from '../model/records.js';
import type { Clock } from '../ports/clock.js';
import type { RecommendationStore } from '../ports/index.js';
import { recommendationOf } from './recommendation-of.js';

export interface ApprovalForReview {
  recommendation: Recommendation;
  brief: ApprovalBrief;
}

/** `approval`: the one a valid link speaks for (access/approvals.ts checked it). */
export async function viewApprovalForReview(
  customerId: string,
  approval: Approval,
  deps: { recommendations: Pick<RecommendationStore, 'getRecommendations'>; clock: Clock },
): Promise<ApprovalForReview> {
  const recommendation = await recommendationOf(
    customerId,
    approval.recommendation_id,
    deps,
    'The recommendation of this approval does not exist.',
  );
  const brief = await approvalBrief(recommendation, approval, deps.recommendations, deps.clock.now());
  return { recommendation, brief };
}
