// What Arbiter stores and returns. Inputs are in inputs.ts; these add what the server decides.
import type { RecommendationInput, RiskLevel, StepInput } from './inputs.js';
import type { RecommendationStatus } from './statuses.js';

export type ConflictType = 'resource' | 'action' | 'dependency' | 'timing';
export type Severity = 'low' | 'medium' | 'high';

export interface HistoryEntry {
  status: RecommendationStatus;
  reason: string;
  at: string;
  by?: string;
}

export interface Conflict {
  id: string;
  type: ConflictType;
  recommendation_ids: string[];
  description: string;
  severity: Severity;
  conflicting_field: 'affected_resources' | 'action' | 'dependencies' | 'window';
  detected_at: string;
  resolved: boolean;
  resolution: string;
  resolved_at: string;
}

export interface Recommendation extends RecommendationInput {
  customer_id: string;
  /** The higher of risk_level (as declared) and the policy's floor for its actions; absent on records from before floors. */
  effective_risk?: RiskLevel;
  /** Why effective_risk is above the declared risk_level, when it is. */
  risk_floor_reason?: string;
  status: RecommendationStatus;
  status_reason: string;
  /** The kept recommendation that beat this one (discarded or superseded). */
  resolved_by?: string;
  coordination_id: string;
  /** Run the plan as soon as the recommendation is approved (the request's execute_now). */
  execute_now: boolean;
  /** The conflicts it was part of: at most CONFLICTS_PER_RECOMMENDATION (conflict-bounds.ts), the decisive ones first. */
  conflicts: Conflict[];
  /** How many conflicts it was part of in all (absent on records from before bounds: then conflicts.length). */
  conflicts_total?: number;
  /** True when `conflicts` lists fewer than conflicts_total. */
  conflicts_truncated?: boolean;
  approval_id?: string;
  plan_id?: string;
  created_at: string;
  updated_at: string;
  history: HistoryEntry[];
  /** Set when someone cancelled it while it was executing: the run stops at the next step and rolls back. */
  cancel_requested?: CancelRequest;
  /**
   * When its run passed its last step (written only while no cancel was requested): from then on a
   * cancel is refused (409), since the run is finishing as completed.
   */
  last_step_passed_at?: string;
}

/** Who cancelled a recommendation, why and when (POST /coordination/recommendations/{id}/cancel). */
export interface CancelRequest {
  /** "agent cost-1", "orchestrator ops-1", "the admin key". */
  by: string;
  reason: string;
  at: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

export interface Vote {
  /** The approver's email, as the seed's user_id. */
  approver: string;
  approver_id: string;
  decision: 'approve' | 'reject';
  at: string;
  via: 'api' | 'link';
  reason?: string;
}

export interface Approval {
  id: string;
  recommendation_id: string;
  customer_id: string;
  /** The recommendation's effective risk: what the approvers are asked to accept. */
  risk_level: RiskLevel;
  status: ApprovalStatus;
  requested_by: string;
  requested_at: string;
  approved_by?: string;
  approved_at?: string;
  rejected_by?: string;
  rejected_at?: string;
  rejection_reason?: string;
  /** Why a cancelled approval was withdrawn (superseded, a dependency ended): what its workflow and links are told. */
  closed_reason?: string;
  expires_at: string;
  approvals_required: number;
  votes: Vote[];
}

export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'rolled_back' | 'rollback_failed';
export type PlanStatus =
  | 'pending'
  | 'running'
  | 'completed'
  | 'failed'
  | 'rolled_back'
  | 'rollback_failed'
  | 'cancelled';

export interface PlanStep extends Required<Omit<StepInput, 'agent_id' | 'after'>> {
  id: string;
  /** Set only on steps of a plan that runs as a graph. */
  after?: number[];
  index: number;
  agent_id: string;
  status: StepStatus;
  result?: Record<string, unknown>;
  rollback_data?: Record<string, unknown>;
  /** What the agent reported when undoing the step. */
  rollback_result?: Record<string, unknown>;
  error?: string;
  started_at?: string;
  completed_at?: string;
  /** Since when the step waits for its agent's circuit to close (its own timeout bounds the wait). */
  agent_wait_since?: string;
  duration_ms: number;
}

export interface ExecutionPlan {
  id: string;
  recommendation_id: string;
  customer_id: string;
  steps: PlanStep[];
  status: PlanStatus;
  current_step: number;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  total_duration_ms: number;
}

export interface CoordinationResponse {
  id: string;
  customer_id: string;
  /** Present on a dry run: what the real call would decide; nothing was stored or started. */
  dry_run?: boolean;
  total_recommendations: number;
  conflicts_detected: number;
  conflicts_resolved: number;
  /** How many conflicts are listed at GET /coordination/coordinations/{id}/conflicts (all, unless very many were detected). */
  conflicts_listed: number;
  /** True when `conflicts` here lists fewer than were detected. */
  conflicts_truncated: boolean;
  recommendations_kept: number;
  approvals_required: number;
  auto_approved: number;
  /** Ids already known for the customer: not created again, reported with their current status. */
  duplicates: { id: string; status: RecommendationStatus }[];
  /** Every new recommendation that was not kept, with why. */
  not_kept: { id: string; status: RecommendationStatus; reason: string; resolved_by?: string }[];
  superseded: { id: string; superseded_by: string }[];
  conflicts: Conflict[];
  recommendations: Recommendation[];
  approvals: Approval[];
  execution_plans: ExecutionPlan[];
  created_at: string;
}

/** A plan as stored: what the API shows plus the workflow's bookkeeping (tokens), which it never shows. */
export interface StoredPlan extends ExecutionPlan {
  execution_token?: string;
  execution_requested_at?: string;
  execution_signal_at?: string;
  /** Set when an approved plan nobody asked for ran out of time: it ends expired, never runs. */
  expired_at?: string;
  /** Set by the reconciler when the plan's execution was lost mid-run: it ends failed, "interrupted". */
  interrupted_at?: string;
  steps: (ExecutionPlan['steps'][number] & { task_token?: string; signal_at?: string })[];
}

/** An approval as stored: what the API shows plus the workflow's bookkeeping, which it never shows. */
export interface StoredApproval extends Approval {
  task_token?: string;
  signal_sent_at?: string;
  notified_at?: string;
}
