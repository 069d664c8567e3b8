// Approval policy per customer. Defaults follow the seed: low needs nobody; medium and high one
// approver (48 h, 24 h); critical two distinct approvers within 4 h.
import type { ApprovalRule, FreezeWindow, PolicyInput, RiskLevel } from '../model/inputs.js';

export interface Policy {
  risk: Record<RiskLevel, ApprovalRule>;
  freeze_windows: FreezeWindow[];
  max_concurrent_executions: number;
  action_risk: Record<string, RiskLevel>;
  default_action_risk: RiskLevel;
  max_wait_seconds: number;
  execute_within_seconds: number;
  revive_discarded: boolean;
  max_parallel_steps: number;
  action_limits: Record<string, number>;
  circuit_breaker: CircuitBreakerPolicy;
  paused: boolean;
  /** Per risk level, when approvers who have not voted are reminded: fractions of the approval window. */
  reminders: Record<RiskLevel, number[]>;
  retention_days: number;
}

export interface CircuitBreakerPolicy {
  failures: number;
  cool_down_seconds: number;
}

const HOUR = 3600;

export const DEFAULT_POLICY: Policy = Object.freeze({
  risk: {
    low: { approvals_required: 0, expires_in_seconds: 7 * 24 * HOUR },
    medium: { approvals_required: 1, expires_in_seconds: 48 * HOUR },
    high: { approvals_required: 1, expires_in_seconds: 24 * HOUR },
    critical: { approvals_required: 2, expires_in_seconds: 4 * HOUR },
  },
  freeze_windows: [],
  max_concurrent_executions: 10,
  action_risk: {},
  default_action_risk: 'low',
  max_wait_seconds: 24 * HOUR,
  execute_within_seconds: 7 * 24 * HOUR,
  revive_discarded: true,
  max_parallel_steps: 5,
  action_limits: {},
  circuit_breaker: { failures: 5, cool_down_seconds: 300 },
  paused: false,
  reminders: { low: [0.5, 0.9], medium: [0.5, 0.9], high: [0.5, 0.9], critical: [0.5, 0.9] },
  retention_days: 90,
});

/** A stored or submitted policy completed with the defaults for whatever it leaves out. */
export function policyFrom(input: PolicyInput | undefined): Policy {
  if (!input) return DEFAULT_POLICY;
  return {
    risk: { ...DEFAULT_POLICY.risk, ...stripUndefined(input.risk) },
    freeze_windows: input.freeze_windows,
    max_concurrent_executions: input.max_concurrent_executions,
    // Policies stored before these fields existed lack them.
    action_risk: input.action_risk ?? {},
    default_action_risk: input.default_action_risk ?? DEFAULT_POLICY.default_action_risk,
    max_wait_seconds: input.max_wait_seconds ?? DEFAULT_POLICY.max_wait_seconds,
    execute_within_seconds: input.execute_within_seconds ?? DEFAULT_POLICY.execute_within_seconds,
    revive_discarded: input.revive_discarded ?? DEFAULT_POLICY.revive_discarded,
    max_parallel_steps: input.max_parallel_steps ?? DEFAULT_POLICY.max_parallel_steps,
    action_limits: input.action_limits ?? {},
    circuit_breaker: input.circuit_breaker ?? DEFAULT_POLICY.circuit_breaker,
    paused: input.paused ?? false,
    reminders: { ...DEFAULT_POLICY.reminders, ...stripUndefined(input.reminders ?? {}) },
    retention_days: input.retention_days ?? DEFAULT_POLICY.retention_days,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface ApprovalRequirement {
  approvals_required: number;
  expires_at: string;
}

/**
 * Who must approve before a kept recommendation may run. `autoApprove` (the seed's flag) waives
 * approval for low risk only: a person still signs off on anything riskier.
 */
export function approvalRequirement(
  risk: RiskLevel,
  policy: Policy,
  autoApprove: boolean,
  now: Date,
  /** The recommendation's own expires_at: the approval may not outlive it. */
  recommendationExpiresAt?: string,
): ApprovalRequirement | undefined {
  const rule = policy.risk[risk];
  if (rule.approvals_required === 0 || (autoApprove && risk === 'low')) return undefined;
  const byPolicy = now.getTime() + rule.expires_in_seconds * 1000;
  const deadline = recommendationExpiresAt ? Math.min(byPolicy, Date.parse(recommendationExpiresAt)) : byPolicy;
  return { approvals_required: rule.approvals_required, expires_at: new Date(deadline).toISOString() };
}

/** Whether a recommendation's expires_at has passed: before its first step runs, it is over. */
export function pastExpiry(rec: { expires_at?: string }, now: Date): boolean {
  return rec.expires_at !== undefined && Date.parse(rec.expires_at) <= now.getTime();
}

/** The slot of the policy's action_limits a recommendation's execution takes, if its action is limited. */
export function actionSlotOf(rec: { action: string }, policy: Policy): { action: string; limit: number } | undefined {
  const limit = policy.action_limits[rec.action];
  return limit === undefined ? undefined : { action: rec.action, limit };
}
