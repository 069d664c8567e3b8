// The PlanStore port: execution plans, their steps and the workflow's bookkeeping of them.
import type { ExecutionPlan, HistoryEntry, PlanStep, StepStatus, StoredPlan } from '../model/records.js';
import type { StatusChange } from './coordination.js';

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
  updateStep(
    customerId: string,
    planId: string,
    index: number,
    fields: Partial<PlanStep>,
    expected: readonly StepStatus[],
  ): Promise<StoredPlan | undefined>;
  /** Keeps the token of the step's current dispatch (a retry brings a new one). */
  storeStepToken(customerId: string, planId: string, index: number, token: string): Promise<void>;
  /**
   * The step's token, to the one caller that may complete or fail it; with `token`, only if that is
   * still the step's token (a report answers one dispatch).
   */
  claimStepSignal(
    customerId: string,
    planId: string,
    index: number,
    now: string,
    token?: string,
  ): Promise<string | undefined>;
  finishPlan(
    customerId: string,
    planId: string,
    fields: Partial<ExecutionPlan>,
    recommendation: StatusChange,
  ): Promise<boolean>;
  /**
   * Marks that the recommendation's run passed its last step, if it is executing and no cancel was requested
   * (the cancel's own write requires the mark to be absent: one of the two wins); false when one was. A
   * second call keeps the first time.
   */
  passLastStep(customerId: string, recommendationId: string, at: string): Promise<boolean>;
  appendHistory(customerId: string, recommendationId: string, entry: HistoryEntry): Promise<void>;
  /** Marks a pending plan whose execution was never requested as expired; gives the plan (and its waiting token) to exactly one caller. */
  claimExpiry(customerId: string, planId: string, at: string): Promise<StoredPlan | undefined>;
  /** A plan that never started, of a recommendation that ended otherwise: cancelled with these (skipped) steps; false if it had started. */
  cancelUnstarted(customerId: string, planId: string, steps: StoredPlan['steps'], at: string): Promise<boolean>;
  /** Marks a running plan interrupted (its execution was lost); false if it is not running. */
  markInterrupted(customerId: string, planId: string, at: string): Promise<boolean>;
}
