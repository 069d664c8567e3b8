// What an approver is asked to accept (issue 9 §10), the same in the email, the reminder and on the
// review page: what will happen (the plan's steps), why this recommendation and not its rivals (the
// conflicts it won, and what it displaced or superseded), the risk and why, who has voted, and how
// long is left. Plain values: each medium escapes or defangs them its own way.
import type { Approval, ConflictType, Recommendation, Vote } from '../model/records.js';
import type { RecommendationStore } from '../ports/index.js';
import { planSteps } from '../rules/plans.js';
import { riskOf } from '../rules/risk.js';
import { type DependencyState, riskText } from './approval-facts.js';
import { timeLeftInWords } from './time-left.js';

export interface PlannedStep {
  /** From 1, as people count. */
  number: number;
  action: string;
  agent_id: string;
  critical: boolean;
  reversible: boolean;
  /** Numbers (from 1) of the steps it runs after, for a plan that runs as a graph. */
  after?: number[];
}

export interface WonConflict {
  /** Every type of conflict it had with that rival (a pair may conflict on resources and on actions). */
  types: ConflictType[];
  descriptions: string[];
  rival: { id: string; title: string };
  /** What became of the rival: discarded (never ran) or superseded (its approval or plan withdrawn). */
  outcome: 'discarded' | 'superseded';
}

export interface ApprovalBrief {
  steps: PlannedStep[];
  won: WonConflict[];
  /** "critical (the agent declared high; ...)" */
  risk: string;
  /** "critical risk (as the agent declared it) needs 2 approvals from different approvers; ..." */
  why: string;
  votes: Vote[];
  approved: number;
  required: number;
  /** "decide within 47 hours", or that the time has passed. */
  timeLeft: string;
  dependencies: DependencyState[];
}

/** The steps the plan will have: built from the recommendation as approving it will build them. */
export function plannedSteps(rec: Recommendation): PlannedStep[] {
  return planSteps(rec).map((s, i) => ({
    number: i + 1,
    action: s.action,
    agent_id: s.agent_id ?? rec.agent_id,
    critical: s.critical,
    reversible: s.reversible,
    ...(s.after ? { after: s.after.map((n) => n + 1) } : {}),
  }));
}

/** The conflicts whose rival this recommendation beat (the rival names it as resolved_by), grouped by rival. */
export function conflictsWon(rec: Recommendation, rivals: readonly Recommendation[]): WonConflict[] {
  const beaten = new Map(
    rivals
      .filter((r) => r.resolved_by === rec.id && (r.status === 'discarded' || r.status === 'superseded'))
      .map((r) => [r.id, r]),
  );
  const won = new Map<string, WonConflict>();
  for (const c of rec.conflicts) {
    for (const id of c.recommendation_ids) {
      const rival = beaten.get(id);
      if (!rival) continue;
      const entry = won.get(id) ?? {
        types: [],
        descriptions: [],
        rival: { id: rival.id, title: rival.title },
        outcome: rival.status as WonConflict['outcome'],
      };
      if (!entry.types.includes(c.type)) entry.types.push(c.type);
      entry.descriptions.push(c.description);
      won.set(id, entry);
    }
  }
  return [...won.values()];
}

/** Why people must decide: the risk, where it came from, and what the policy asks for it. */
export function whyApproval(rec: Recommendation, required: number): string {
  const risk = riskOf(rec);
  const source =
    risk === rec.risk_level
      ? 'as the agent declared it'
      : `raised from the ${rec.risk_level} the agent declared${rec.risk_floor_reason ? `: ${rec.risk_floor_reason}` : ''}`;
  const needs = required === 1 ? 'one approval' : `${required} approvals from different approvers`;
  return `${risk} risk (${source}) needs ${needs}; any one rejection vetoes it.`;
}

/** "1 of 2 approvals so far: ann@example.com approved at ..." */
export function votesSoFar(brief: Pick<ApprovalBrief, 'votes' | 'approved' | 'required'>): string {
  const who = brief.votes.map((v) => `${v.approver} ${v.decision === 'approve' ? 'approved' : 'rejected'} at ${v.at}`);
  return `${brief.approved} of ${brief.required} approval${brief.required === 1 ? '' : 's'} so far${who.length ? `: ${who.join('; ')}` : ''}`;
}

/** The brief from the recommendations read for it (its dependencies and rivals, in any order; missing ones are unknown). */
export function composeBrief(
  rec: Recommendation,
  approval: Approval,
  found: readonly Recommendation[],
  now: Date,
): ApprovalBrief {
  const byId = new Map(found.map((r) => [r.id, r]));
  return {
    steps: plannedSteps(rec),
    won: conflictsWon(rec, found),
    risk: riskText(rec),
    why: whyApproval(rec, approval.approvals_required),
    votes: approval.votes,
    approved: approval.votes.filter((v) => v.decision === 'approve').length,
    required: approval.approvals_required,
    timeLeft: timeLeftInWords(approval.expires_at, now),
    dependencies: rec.dependencies.map((id) => ({ id, status: byId.get(id)?.status ?? 'unknown' })),
  };
}

/** The brief, with the dependencies and the rivals of its conflicts read in one batch (both are bounded). */
export async function approvalBrief(
  rec: Recommendation,
  approval: Approval,
  recommendations: Pick<RecommendationStore, 'getRecommendations'>,
  now: Date,
): Promise<ApprovalBrief> {
  const wanted = new Set([...rec.dependencies, ...rec.conflicts.flatMap((c) => c.recommendation_ids)]);
  wanted.delete(rec.id);
  const found = wanted.size ? await recommendations.getRecommendations(rec.customer_id, [...wanted]) : [];
  return composeBrief(rec, approval, found, now);
}
