// Deciding an approval: people's decisions on risky recommendations. Any rejection vetoes; approvals
// count once per approver until the quorum is reached; a decision lands exactly once, however many
// arrive at the same time; after the expiry or once closed, decisions are refused, never ignored.
import type { Decider } from '../access/approvals.js';
import { Expired, NotFound, StateConflict } from '../model/errors.js';
import type { Approval, ExecutionPlan, Recommendation, StoredApproval } from '../model/records.js';
import type { CoordinationPorts } from '../ports/coordination.js';
import type { IdGenerator } from '../ports/ids.js';
import type { Metrics, StatusChange, VoteChange } from '../ports/index.js';
import { buildPlan } from '../rules/plans.js';
import { publicApproval } from '../rules/public-view.js';
import { followEndedEarly } from './cancel-dependents.js';
import { signalWorkflow } from './signal-decision.js';

export interface Decision {
  customerId: string;
  approvalId: string;
  /** Authorized by access/approvals.ts: an approver's key, or a review link. */
  approver: Decider['approver'];
  decision: 'approve' | 'reject';
  reason?: string;
  via: 'api' | 'link';
}

export interface DecisionResult {
  approval: Approval;
  /** What this call did: decided the approval, added a vote short of the quorum, or found the vote already counted. */
  effect: 'approved' | 'rejected' | 'vote_recorded' | 'already_voted';
}

export const DECISION_MESSAGES: Record<DecisionResult['effect'], string> = {
  approved: 'Recommendation approved',
  rejected: 'Recommendation rejected',
  vote_recorded: 'Approval recorded; more approvals are needed',
  already_voted: 'Your approval was already recorded',
};

/**
 * Operators' counts of a decision that closed the approval (issue 9 §1): approved or rejected, the time
 * from request to decision, and a rejected recommendation. Votes short of the quorum count nothing.
 */
function countDecision(metrics: Metrics, { approval, effect }: DecisionResult): void {
  if (effect !== 'approved' && effect !== 'rejected') return;
  metrics.count('Approvals', { dimension: effect });
  const decidedAt = effect === 'approved' ? approval.approved_at : approval.rejected_at;
  if (decidedAt) metrics.duration('ApprovalDecisionTime', Date.parse(decidedAt) - Date.parse(approval.requested_at));
  if (effect === 'rejected') metrics.count('Recommendations', { dimension: 'rejected' });
}

/** Enough for 20 approvers deciding at the same moment: each lost race means someone else's vote landed. */
const MAX_ATTEMPTS = 40;

/** `metrics`: where the decision is counted, once, as soon as it is stored (countDecision). */
export async function decide(
  decision: Decision,
  deps: CoordinationPorts & { metrics?: Metrics },
): Promise<DecisionResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const approval = await deps.approvals.getApproval(decision.customerId, decision.approvalId);
    if (!approval) throw new NotFound(`approval ${decision.approvalId} not found`);
    const now = deps.clock.now();
    refuseIfClosed(approval, now);
    if (approval.votes.some((v) => v.approver_id === decision.approver.id)) {
      return { approval: publicApproval(approval), effect: 'already_voted' };
    }
    const change = await voteChange(approval, decision, now, deps);
    if (await deps.approvals.applyVote(change)) {
      const after = { ...approval, ...(change.close?.approval ?? {}), votes: [...approval.votes, change.vote] };
      const effect = change.close ? (after.status as 'approved' | 'rejected') : 'vote_recorded';
      const result: DecisionResult = { approval: publicApproval(after), effect };
      if (deps.metrics) countDecision(deps.metrics, result);
      if (change.close) await signalWorkflow(decision.customerId, decision.approvalId, deps);
      if (effect === 'rejected') {
        // Rejected before it ran: what depends on it is called off at once (issue 13 §6), and those it had beaten may now win (§5).
        const ended = { id: approval.recommendation_id, how: `was rejected by ${decision.approver.email}` };
        await followEndedEarly(decision.customerId, { ended: [ended] }, deps);
      }
      return result;
    }
    // Lost a race: back off a little so twenty callers do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt + 1, 5)));
  }
  throw new StateConflict(`approval ${decision.approvalId} is too busy; try again`);
}

function refuseIfClosed(approval: StoredApproval, now: Date): void {
  if (
    approval.status === 'expired' ||
    (approval.status === 'pending' && now.getTime() >= Date.parse(approval.expires_at))
  ) {
    throw new Expired(`approval ${approval.id} expired at ${approval.expires_at}`);
  }
  if (approval.status !== 'pending') throw new StateConflict(`approval ${approval.id} is already ${approval.status}`);
}

async function voteChange(
  approval: StoredApproval,
  decision: Decision,
  now: Date,
  deps: CoordinationPorts,
): Promise<VoteChange> {
  const at = now.toISOString();
  const vote = {
    approver: decision.approver.email,
    approver_id: decision.approver.id,
    decision: decision.decision,
    at,
    via: decision.via,
    ...(decision.reason ? { reason: decision.reason } : {}),
  };
  const change: VoteChange = { customerId: decision.customerId, read: approval, vote, now: at };
  const approvals =
    approval.votes.filter((v) => v.decision === 'approve').length + (decision.decision === 'approve' ? 1 : 0);
  if (decision.decision === 'reject') {
    const reason = `rejected by ${decision.approver.email}${decision.reason ? `: ${decision.reason}` : ''}`;
    change.close = {
      approval: {
        status: 'rejected',
        rejected_by: decision.approver.email,
        rejected_at: at,
        rejection_reason: decision.reason ?? '',
      },
      recommendation: statusChange(approval.recommendation_id, 'rejected', reason, at, decision.approver.email),
    };
    return change;
  }
  // Every vote leaves its trace in the recommendation's history, in the same write (issue 13 §8).
  const tally = `approved by ${decision.approver.email}: ${approvals} of ${approval.approvals_required}`;
  if (approvals >= approval.approvals_required) {
    const [rec] = await deps.recommendations.getRecommendations(decision.customerId, [approval.recommendation_id]);
    change.close = {
      approval: { status: 'approved', approved_by: decision.approver.email, approved_at: at },
      recommendation: statusChange(approval.recommendation_id, 'approved', tally, at, decision.approver.email),
      plan: rec ? planFor(rec, deps.ids, at) : undefined,
    };
  } else {
    change.entry = { status: 'pending_approval', reason: tally, at, by: decision.approver.email };
  }
  return change;
}

function statusChange(id: string, to: 'approved' | 'rejected', reason: string, at: string, by: string): StatusChange {
  return { id, from: 'pending_approval', to, entry: { status: to, reason, at, by } };
}

function planFor(rec: Recommendation, ids: IdGenerator, at: string): ExecutionPlan {
  return buildPlan(rec, ids.next('plan_'), at);
}
