// Ports of the coordination side: recommendations, policies and approvals, and the set of them that
// coordinating, deciding an approval, cancelling dependents and reviving losers use (CoordinationPorts).

import type { PolicyInput } from '../model/inputs.js';
import type {
  Approval,
  Conflict,
  ExecutionPlan,
  HistoryEntry,
  Recommendation,
  StoredApproval,
} from '../model/records.js';
import type { RecommendationStatus } from '../model/statuses.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';
import type { ReconcileStore } from './reconcile.js';
import type { Workflow } from './workflow.js';

export interface StatusChange {
  id: string;
  /** Applied only while the recommendation is in this status (or one of these). */
  from: RecommendationStatus | readonly RecommendationStatus[];
  to: RecommendationStatus;
  entry: HistoryEntry;
  resolved_by?: string;
  /** Appended to its conflicts; conflicts_total and conflicts_truncated are set with them. */
  conflicts?: Conflict[];
  conflicts_total?: number;
  conflicts_truncated?: boolean;
  /** Set with the status: a revived recommendation's new approval or plan. */
  approval_id?: string;
  plan_id?: string;
  /** A revived recommendation no longer names who beat it. */
  clear_resolved_by?: boolean;
}

export interface CoordinationChange {
  customerId: string;
  created: Recommendation[];
  /** Status changes of recommendations stored earlier, applied only if they are still `from`. */
  changed: StatusChange[];
  approvals: Approval[];
  plans: ExecutionPlan[];
  /** Pending approvals of superseded or cancelled recommendations: withdrawn in the same write, if still pending, with the reason. */
  cancelledApprovals: { id: string; reason: string }[];
  /** The coordination's listed conflicts, in pages (conflict-bounds.ts), with the count detected. */
  conflictPages?: { coordinationId: string; pages: Conflict[][]; detected: number };
}

export interface ConflictPage {
  conflicts: Conflict[];
  /** Conflicts detected in the coordination, and how many of them are listed. */
  conflicts_detected: number;
  conflicts_listed: number;
  next?: string;
}

export interface Page<T> {
  items: T[];
  next?: string;
  /** For each item, the token that continues after it: lets the caller cut a page short (page-bytes.ts). */
  cursors?: string[];
}

export interface RecommendationStore {
  /** Serialises coordination per customer; resolves to a release function. Throws Busy when held too long by another. */
  lockCustomer(customerId: string): Promise<() => Promise<void>>;
  getRecommendations(customerId: string, ids: readonly string[]): Promise<Recommendation[]>;
  listActive(customerId: string): Promise<Recommendation[]>;
  /** The customer's discarded recommendations that `winnerId` beat. */
  listBeatenBy(customerId: string, winnerId: string): Promise<Recommendation[]>;
  listRecommendations(
    customerId: string,
    query: { status?: RecommendationStatus; limit: number; next?: string },
  ): Promise<Page<Recommendation>>;
  /** A coordination's listed conflicts, `limit` at a time; undefined for an unknown coordination. */
  listCoordinationConflicts(
    customerId: string,
    coordinationId: string,
    query: { limit: number; next?: string },
  ): Promise<ConflictPage | undefined>;
  /** Writes a coordination's outcome; throws StaleState when a `changed` recommendation moved meanwhile. */
  saveCoordination(change: CoordinationChange): Promise<void>;
  /** Changes one recommendation's status, with its history entry; false when it is no longer in `change.from`. */
  changeStatus(customerId: string, change: StatusChange): Promise<boolean>;
}

export interface PolicyStore {
  getPolicy(customerId: string): Promise<PolicyInput | undefined>;
  putPolicy(customerId: string, policy: PolicyInput): Promise<void>;
}

export interface VoteChange {
  customerId: string;
  /** The approval as read; the vote applies only if no other vote landed meanwhile. */
  read: StoredApproval;
  vote: Approval['votes'][number];
  now: string;
  /** A vote short of the quorum: appended to the recommendation's history with the vote. */
  entry?: HistoryEntry;
  /** When this vote decides the approval: its new state, the recommendation's, and the plan of an approved one. */
  close?: { approval: Partial<Approval>; recommendation: StatusChange; plan?: ExecutionPlan };
}

export interface ApprovalStore {
  getApproval(customerId: string, approvalId: string): Promise<StoredApproval | undefined>;
  listPending(customerId: string, now: string): Promise<StoredApproval[]>;
  /** Pending, unexpired approvals, soonest expiry first, `limit` at a time. */
  listPendingPage(
    customerId: string,
    now: string,
    query: { limit: number; next?: string },
  ): Promise<Page<StoredApproval>>;
  /** False when it lost a race (another vote, a close, the expiry): read again and retry. */
  applyVote(change: VoteChange): Promise<boolean>;
  /** Closes a still-pending approval (expired, cancelled) with its recommendation; false if it was no longer pending. */
  closePending(
    customerId: string,
    approvalId: string,
    status: 'expired' | 'cancelled',
    recommendation: StatusChange | undefined,
    now: string,
  ): Promise<boolean>;
  storeTaskToken(customerId: string, approvalId: string, token: string): Promise<StoredApproval>;
  /** Claims the right to signal the workflow once the approval is closed and its token known; returns the token to the one caller that wins. */
  claimSignal(customerId: string, approvalId: string, now: string): Promise<string | undefined>;
  /** Marks approvers notified; false if they already were (a retried task). */
  markNotified(customerId: string, approvalId: string, now: string): Promise<boolean>;
  /**
   * Records one notice about an approval ("reminder 2 to approver X", "expiry escalated"); true for the
   * first caller only. Kept until a day after the approval's expiry (no notice is sent later).
   */
  claimNotice(
    customerId: string,
    approval: Pick<StoredApproval, 'id' | 'expires_at'>,
    notice: string,
  ): Promise<boolean>;
  /** Whether the notice was recorded. */
  noticeSent(customerId: string, approvalId: string, notice: string): Promise<boolean>;
  /** Forgets a recorded notice (its sending failed): the next attempt sends it. */
  releaseNotice(customerId: string, approvalId: string, notice: string): Promise<void>;
}

/**
 * The ports of the use cases that judge a customer's active set: coordinate, decide an approval,
 * cancel dependents, reconsider losers (which needs all but `reconcile`).
 */
export interface CoordinationPorts {
  recommendations: RecommendationStore;
  approvals: ApprovalStore;
  /** The customer's policy: ranking, admission, revive_discarded. */
  policies: PolicyStore;
  workflow: Workflow;
  clock: Clock;
  ids: IdGenerator;
  /** How often the reconciler repaired a workflow: a superseded or cancelled one's may run under a repaired name. */
  reconcile: Pick<ReconcileStore, 'repairs'>;
}
