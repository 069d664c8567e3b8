// The review page's use case: the approval's recommendation and the brief the approver is asked to accept.
import { describe, expect, it } from 'vitest';
import { NotFound } from '../../functions/core/model/errors.js';
import { viewApprovalForReview } from '../../functions/core/use-cases/view-approval-for-review.js';
import { CUSTOMER, fixedClock, memoryRecommendations, pendingApproval, storedRec } from './in-memory-ports.js';

const approval = pendingApproval(1, 2);

describe('viewApprovalForReview', () => {
  it('the recommendation and its brief: the plan it will run, the votes and the time left', async () => {
    const rec = storedRec('rec-1', 'pending_approval', { action: 'scale_down', approval_id: 'apr_1' });
    const deps = { recommendations: memoryRecommendations([rec]), clock: fixedClock() };
    const { recommendation, brief } = await viewApprovalForReview(CUSTOMER, approval, deps);
    expect(recommendation.id).toBe('rec-1');
    expect(brief.steps.map((s) => s.action)).toEqual(['validate_quality', 'scale_resources', 'validate_quality']);
    expect(brief).toMatchObject({ approved: 0, required: 1, votes: [] });
    expect(brief.timeLeft).toContain('2 hours');
  });

  it('a missing recommendation is NotFound in the words the page shows', async () => {
    const deps = { recommendations: memoryRecommendations([]), clock: fixedClock() };
    const error = await viewApprovalForReview(CUSTOMER, approval, deps).catch((e) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect(error.message).toBe('The recommendation of this approval does not exist.');
  });
});
