// The Lambdas that are not behind the API: the workflow's tasks and the event-triggered ones.

/**
 * Lambdas the workflow invokes (statemachines/*.asl.json), not the API: the workflow contract's
 * tasks, each functions/<name>/handler.ts, named in the ASL through its placeholder.
 */
export {
  WORKFLOW_TASKS as TASK_HANDLERS,
  type WorkflowTask as TaskHandlerName,
} from '../core/ports/workflow-contract.js';

/** Lambdas triggered by events (EventBridge: an execution's end, a schedule), neither by the API nor by the ASL. */
export const EVENT_HANDLERS = ['execution-ended', 'reconciler'] as const;
export type EventHandlerName = (typeof EVENT_HANDLERS)[number];
