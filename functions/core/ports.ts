// What the core needs from the outside world. Adapters implement these on DynamoDB and AWS;
// tests pass in-memory or local ones. Coordination and access ports live in their own files,
// re-exported here.
import type { ExecutionPlan, HistoryEntry, PlanStep, StepStatus } from './model.js';
import type { StatusChange } from './coordination-ports.js';

export * from './coordination-ports.js';
export * from './access-ports.js';

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique id starting with `prefix` (e.g. `apr_`). */
  next(prefix: string): string;
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

export interface PlanStore {
  /** With each step's result, rollback data and error unless `results: false` (the workflow's bookkeeping needs only statuses). */
  getPlan(customerId: string, planId: string, options?: { results?: boolean }): Promise<StoredPlan | undefined>;
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
  /** Marks a pending plan whose execution was never requested as expired; gives the plan (and its waiting token) to exactly one caller. */
  claimExpiry(customerId: string, planId: string, at: string): Promise<StoredPlan | undefined>;
  /** A plan that never started, of a recommendation that ended otherwise: cancelled with these (skipped) steps; false if it had started. */
  cancelUnstarted(customerId: string, planId: string, steps: StoredPlan['steps'], at: string): Promise<boolean>;
  /** Marks a running plan interrupted (its execution was lost); false if it is not running. */
  markInterrupted(customerId: string, planId: string, at: string): Promise<boolean>;
}

export type LockResult = { acquired: true } | { acquired: false; reason: string };

export interface ResourceLocks {
  /** All of the resources and one of the customer's execution slots, or none of them. Acquiring again as the same holder succeeds. */
  acquire(customerId: string, holder: string, resources: readonly string[], maxConcurrent: number): Promise<LockResult>;
  release(customerId: string, holder: string, resources: readonly string[]): Promise<void>;
}
