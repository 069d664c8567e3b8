// The workflow contract: every name statemachines/recommendation.asl.json refers to. The errors its
// Retry and Catch match by name (besides States.* and Lambda.*), and the Lambda tasks its
// ${Placeholders} stand for. test/infra/workflow-contract.test.ts holds the ASL to exactly these:
// renaming one here, or there, fails that test instead of silently changing what is retried or caught.

/** Every error name a task throws or a task token is failed with. */
export const WORKFLOW_ERRORS = {
  /** An approver rejected the approval: the approval's token is failed with it; "Record rejection". */
  Rejected: 'Rejected',
  /** The approval was withdrawn (its recommendation superseded or cancelled): "Record supersession". */
  Superseded: 'Superseded',
  /** The approval, or the wait for an execution request, ran out of time: "Record expiry", "Expired before running". */
  Expired: 'Expired',
  /** The agent refused a step or reported it failed: caught as a failed step, never retried. */
  StepFailed: 'StepFailed',
  /** The agent could not answer now: "Run step" and "Roll back step" retry it with backoff. */
  StepTransientError: 'StepTransientError',
  /** AWS throttled or failed (5xx), or a transaction lost a race: every task retries it. */
  TransientError: 'TransientError',
  /** Resources or an execution slot are taken ("Acquire resource locks" waits instead). */
  ResourceBusy: 'ResourceBusy',
  /** The step's agent stayed unavailable (circuit open) for the step's whole timeout: caught as a failed step. */
  AgentUnavailable: 'AgentUnavailable',
  /** The plan may no longer start (its recommendation moved on): caught as an unexpected failure. */
  NotRunnable: 'NotRunnable',
} as const;

export type WorkflowError = keyof typeof WORKFLOW_ERRORS;

/**
 * Errors the ASL does not name: they surface from these tasks, which catch them through States.ALL
 * (or States.TaskFailed) like any other failure.
 */
export const CAUGHT_AS_ANY_FAILURE = {
  ResourceBusy: 'resource-locks',
  NotRunnable: 'resource-locks',
  AgentUnavailable: 'dispatch-step',
} as const satisfies Partial<Record<WorkflowError, WorkflowTask>>;

/**
 * The Lambdas the workflow invokes, each functions/<name>/handler.ts, and the placeholder the ASL
 * names it by (its ARN is substituted there, by lib/ on AWS and by local/ for the local engine).
 */
export const WORKFLOW_TASKS = {
  'request-approval': 'RequestApprovalFunctionArn',
  'record-outcome': 'RecordOutcomeFunctionArn',
  'await-execution': 'AwaitExecutionFunctionArn',
  'check-dependencies': 'CheckDependenciesFunctionArn',
  'resource-locks': 'ResourceLocksFunctionArn',
  'record-step': 'RecordStepFunctionArn',
  'dispatch-step': 'DispatchStepFunctionArn',
} as const;

export type WorkflowTask = keyof typeof WORKFLOW_TASKS;

/**
 * The agent refused the step or answered something unusable (4xx, a redirect, a malformed report):
 * the same request would fail again. A 200 report with status `failed` is not this: it is a report.
 */
export class StepFailed extends Error {
  override name = WORKFLOW_ERRORS.StepFailed;
}

/** The agent could not answer now (5xx, 429, unreachable, too slow): worth retrying. */
export class StepTransientError extends Error {
  override name = WORKFLOW_ERRORS.StepTransientError;
}

/** Worth retrying as it is: throttling, a 5xx from AWS, a transaction that lost a race with another writer. */
export class TransientError extends Error {
  override name = WORKFLOW_ERRORS.TransientError;
}

export class ResourceBusy extends Error {
  override name = WORKFLOW_ERRORS.ResourceBusy;
}

export class NotRunnable extends Error {
  override name = WORKFLOW_ERRORS.NotRunnable;
}

export class AgentUnavailable extends Error {
  override name = WORKFLOW_ERRORS.AgentUnavailable;
}
