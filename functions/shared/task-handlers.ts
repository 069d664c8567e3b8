// The Lambdas that are not behind the API: the workflow's tasks and the event-triggered ones.

/**
 * Lambdas the workflow invokes (statemachines/*.asl.json), not the API. Each is
 * functions/<name>/handler.ts; the ASL names it through the placeholder given here.
 */
export const TASK_HANDLERS = {
  'request-approval': 'RequestApprovalFunctionArn',
  'record-outcome': 'RecordOutcomeFunctionArn',
  'await-execution': 'AwaitExecutionFunctionArn',
  'check-dependencies': 'CheckDependenciesFunctionArn',
  'resource-locks': 'ResourceLocksFunctionArn',
  'record-step': 'RecordStepFunctionArn',
  'dispatch-step': 'DispatchStepFunctionArn',
} as const;
export type TaskHandlerName = keyof typeof TASK_HANDLERS;

/** Lambdas triggered by events (EventBridge: an execution's end, a schedule), neither by the API nor by the ASL. */
export const EVENT_HANDLERS = ['execution-ended', 'reconciler'] as const;
export type EventHandlerName = (typeof EVENT_HANDLERS)[number];
