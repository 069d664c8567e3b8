// What the core needs from the outside world. Adapters implement these on DynamoDB and AWS;
// tests pass in-memory or local ones.
import type { Approval, Conflict, ExecutionPlan, HistoryEntry, PlanStep, Recommendation, StepStatus } from './model.js';
import type { PolicyInput, RecommendationStatus } from './schemas.js';
import type { Principal } from './access.js';

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique id starting with `prefix` (e.g. `apr_`). */
  next(prefix: string): string;
}

export interface StatusChange {
  id: string;
  /** Applied only while the recommendation is in this status (or one of these). */
  from: RecommendationStatus | readonly RecommendationStatus[];
  to: RecommendationStatus;
  entry: HistoryEntry;
  resolved_by?: string;
  conflicts?: Conflict[];
}

export interface CoordinationChange {
  customerId: string;
  created: Recommendation[];
  /** Status changes of recommendations stored earlier, applied only if they are still `from`. */
  changed: StatusChange[];
  approvals: Approval[];
  plans: ExecutionPlan[];
  /** Pending approvals of superseded recommendations: cancelled in the same write, if still pending. */
  cancelledApprovals: string[];
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface RecommendationStore {
  /** Serialises coordination per customer; resolves to a release function. Throws Busy when held too long by another. */
  lockCustomer(customerId: string): Promise<() => Promise<void>>;
  getRecommendations(customerId: string, ids: readonly string[]): Promise<Recommendation[]>;
  listActive(customerId: string): Promise<Recommendation[]>;
  listRecommendations(customerId: string, query: { status?: RecommendationStatus; limit: number; next?: string }): Promise<Page<Recommendation>>;
  /** Writes a coordination's outcome; throws StaleState when a `changed` recommendation moved meanwhile. */
  saveCoordination(change: CoordinationChange): Promise<void>;
}

export interface PolicyStore {
  getPolicy(customerId: string): Promise<PolicyInput | undefined>;
  putPolicy(customerId: string, policy: PolicyInput): Promise<void>;
}

export interface AgentRecord {
  agent_id: string;
  customer_id: string;
  endpoint_url?: string;
  signing_secret: string;
  created_at: string;
}

export interface CredentialStore {
  /** The principal of an issued key, looked up by the key's hash. */
  findPrincipal(keyHash: string): Promise<Principal | undefined>;
  /** Stores the agent and its key hash together; throws StateConflict if the agent exists. */
  registerAgent(agent: AgentRecord, keyHash: string): Promise<void>;
}

export interface ApproverRecord {
  approver_id: string;
  customer_id: string;
  email: string;
  name?: string;
  subscription?: string;
  created_at: string;
}

export interface ApproverStore {
  /** Stores the approver and its key hash together; throws StateConflict if the email is already an approver of the customer. */
  registerApprover(approver: ApproverRecord, keyHash: string): Promise<void>;
  listApprovers(customerId: string): Promise<ApproverRecord[]>;
  findApprover(approverId: string): Promise<ApproverRecord | undefined>;
  setSubscription(customerId: string, approverId: string, subscription: string): Promise<void>;
}

/** An approval as stored: what the API shows plus the workflow's bookkeeping, which it never shows. */
export interface StoredApproval extends Approval {
  task_token?: string;
  signal_sent_at?: string;
  notified_at?: string;
}

export interface VoteChange {
  customerId: string;
  /** The approval as read; the vote applies only if no other vote landed meanwhile. */
  read: StoredApproval;
  vote: Approval['votes'][number];
  now: string;
  /** When this vote decides the approval: its new state, the recommendation's, and the plan of an approved one. */
  close?: { approval: Partial<Approval>; recommendation: StatusChange; plan?: ExecutionPlan };
}

export interface ApprovalStore {
  getApproval(customerId: string, approvalId: string): Promise<StoredApproval | undefined>;
  listPending(customerId: string, now: string): Promise<StoredApproval[]>;
  /** False when it lost a race (another vote, a close, the expiry): read again and retry. */
  applyVote(change: VoteChange): Promise<boolean>;
  /** Closes a still-pending approval (expired, cancelled) with its recommendation; false if it was no longer pending. */
  closePending(customerId: string, approvalId: string, status: 'expired' | 'cancelled', recommendation: StatusChange | undefined, now: string): Promise<boolean>;
  storeTaskToken(customerId: string, approvalId: string, token: string): Promise<StoredApproval>;
  /** Claims the right to signal the workflow once the approval is closed and its token known; returns the token to the one caller that wins. */
  claimSignal(customerId: string, approvalId: string, now: string): Promise<string | undefined>;
  /** Marks approvers notified; false if they already were (a retried task). */
  markNotified(customerId: string, approvalId: string, now: string): Promise<boolean>;
}

/** A plan as stored: what the API shows plus the workflow's bookkeeping (tokens), which it never shows. */
export interface StoredPlan extends ExecutionPlan {
  execution_token?: string;
  execution_requested_at?: string;
  execution_signal_at?: string;
  steps: (ExecutionPlan['steps'][number] & { task_token?: string; signal_at?: string })[];
}

export interface PlanStore {
  getPlan(customerId: string, planId: string): Promise<StoredPlan | undefined>;
  storeExecutionToken(customerId: string, planId: string, token: string): Promise<StoredPlan>;
  /** Marks the plan's execution requested, if its recommendation is approved and it was never requested; false otherwise. */
  requestExecution(customerId: string, planId: string, recommendationId: string, now: string): Promise<boolean>;
  /** The "Wait for execution request" token, to the one caller that may send it. */
  claimExecutionSignal(customerId: string, planId: string, now: string): Promise<string | undefined>;
  /** Plan running, recommendation executing (from approved or waiting_dependencies); a second call changes nothing. */
  startPlan(customerId: string, planId: string, recommendation: StatusChange): Promise<StoredPlan>;
  /** Updates one step if it is in one of `expected`; returns the plan after, or undefined if the step had moved on. */
  updateStep(customerId: string, planId: string, index: number, fields: Partial<PlanStep>, expected: readonly StepStatus[]): Promise<StoredPlan | undefined>;
  /** Keeps the token of the step's current dispatch (a retry brings a new one). */
  storeStepToken(customerId: string, planId: string, index: number, token: string): Promise<void>;
  /** The step's token, to the one caller that may complete or fail it. */
  /** With `token`, only if that is still the step's token (a report answers one dispatch). */
  claimStepSignal(customerId: string, planId: string, index: number, now: string, token?: string): Promise<string | undefined>;
  finishPlan(customerId: string, planId: string, fields: Partial<ExecutionPlan>, recommendation: StatusChange): Promise<boolean>;
  appendHistory(customerId: string, recommendationId: string, entry: HistoryEntry): Promise<void>;
}

export type LockResult = { acquired: true } | { acquired: false; reason: string };

export interface ResourceLocks {
  /** All of the resources and one of the customer's execution slots, or none of them. Acquiring again as the same holder succeeds. */
  acquire(customerId: string, holder: string, resources: readonly string[], maxConcurrent: number): Promise<LockResult>;
  release(customerId: string, holder: string, resources: readonly string[]): Promise<void>;
}

export interface AgentDirectory {
  getAgent(customerId: string, agentId: string): Promise<AgentRecord | undefined>;
}
