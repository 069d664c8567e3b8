// ApprovalGate: people's decisions on risky recommendations. Any rejection vetoes; approvals
// count once per approver until the quorum is reached; a decision lands exactly once, however many
// arrive at the same time; after the expiry or once closed, decisions are refused, never ignored.
import { Expired, NotFound, StateConflict } from './errors.js';
import type { Approval, ExecutionPlan, Recommendation } from './model.js';
import { buildPlan } from './plans.js';
import type { ApprovalStore, Clock, IdGenerator, PolicyStore, RecommendationStore, StatusChange, StoredApproval, VoteChange } from './ports.js';
import { cancelDependents } from './dependent-cancellation.js';
import type { ReconcileStore } from './reconciler.js';
import { reconsiderLosers } from './revival.js';
import type { Workflow } from './workflow.js';

export interface ApprovalGateDeps {
  approvals: ApprovalStore;
  recommendations: RecommendationStore;
  /** Read for revive_discarded when a rejection may revive the recommendations it had beaten. */
  policies: PolicyStore;
  workflow: Workflow;
  clock: Clock;
  ids: IdGenerator;
  /** To stop the workflows of dependents cancelled by a rejection, repaired ones too. */
  reconcile: Pick<ReconcileStore, 'repairs'>;
}

export interface Decision {
  customerId: string;
  approvalId: string;
  approver: { id: string; email: string };
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

/** Enough for 20 approvers deciding at the same moment: each lost race means someone else's vote landed. */
const MAX_ATTEMPTS = 40;

export async function decide(decision: Decision, deps: ApprovalGateDeps): Promise<DecisionResult> {
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
      if (change.close) await signalWorkflow(decision.customerId, decision.approvalId, deps);
      const effect = change.close ? (after.status as 'approved' | 'rejected') : 'vote_recorded';
      // Rejected before it ran: those it had beaten may now win (issue 13 §5).
      if (effect === 'rejected') {
        // Rejected before it ran: what depends on it is called off at once (issue 13 §6), and those it had beaten may now win (§5).
        const ended = { id: approval.recommendation_id, how: `was rejected by ${decision.approver.email}` };
        await cancelDependents(decision.customerId, [ended], deps);
        await reconsiderLosers(decision.customerId, ended, deps);
      }
      return { approval: publicApproval(after), effect };
    }
    // Lost a race: back off a little so twenty callers do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt + 1, 5)));
  }
  throw new StateConflict(`approval ${decision.approvalId} is too busy; try again`);
}

function refuseIfClosed(approval: StoredApproval, now: Date): void {
  if (approval.status === 'expired' || (approval.status === 'pending' && now.getTime() >= Date.parse(approval.expires_at))) {
    throw new Expired(`approval ${approval.id} expired at ${approval.expires_at}`);
  }
  if (approval.status !== 'pending') throw new StateConflict(`approval ${approval.id} is already ${approval.status}`);
}

async function voteChange(approval: StoredApproval, decision: Decision, now: Date, deps: ApprovalGateDeps): Promise<VoteChange> {
  const at = now.toISOString();
  const vote = { approver: decision.approver.email, approver_id: decision.approver.id, decision: decision.decision, at, via: decision.via, ...(decision.reason ? { reason: decision.reason } : {}) };
  const change: VoteChange = { customerId: decision.customerId, read: approval, vote, now: at };
  const approvals = approval.votes.filter((v) => v.decision === 'approve').length + (decision.decision === 'approve' ? 1 : 0);
  if (decision.decision === 'reject') {
    const reason = `rejected by ${decision.approver.email}${decision.reason ? `: ${decision.reason}` : ''}`;
    change.close = {
      approval: { status: 'rejected', rejected_by: decision.approver.email, rejected_at: at, rejection_reason: decision.reason ?? '' },
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

/**
 * Tells the waiting workflow how the approval ended, exactly once: whoever claims the signal
 * sends it. If the token is not stored yet, the "Request approval" task sends it when it arrives.
 */
export async function signalWorkflow(customerId: string, approvalId: string, deps: Pick<ApprovalGateDeps, 'approvals' | 'workflow' | 'clock'>): Promise<void> {
  const token = await deps.approvals.claimSignal(customerId, approvalId, deps.clock.now().toISOString());
  if (!token) return;
  const approval = await deps.approvals.getApproval(customerId, approvalId);
  if (!approval) return;
  if (approval.status === 'approved') await deps.workflow.completeTask(token, { decision: 'approved', approval_id: approvalId });
  else if (approval.status === 'rejected') await deps.workflow.failTask(token, 'Rejected', approval.rejection_reason || `rejected by ${approval.rejected_by}`);
  // The ASL ends a withdrawn approval through its Superseded catch; the cause says the true reason.
  else if (approval.status === 'cancelled') await deps.workflow.failTask(token, 'Superseded', approval.closed_reason ?? 'the recommendation was superseded');
  else if (approval.status === 'expired') await deps.workflow.failTask(token, 'Expired', `expired at ${approval.expires_at}`);
}

const INTERNAL_FIELDS = ['task_token', 'signal_sent_at', 'notified_at'] as const;

/** The approval as the API shows it: without the workflow's bookkeeping (the task token above all). */
export function publicApproval(approval: StoredApproval): Approval {
  const copy: Record<string, unknown> = { ...approval };
  for (const field of INTERNAL_FIELDS) delete copy[field];
  return copy as unknown as Approval;
}
