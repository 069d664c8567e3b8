// The Lambdas that are not behind the API: the workflow's tasks and the event-triggered ones.

/**
 * Lambdas the workflow invokes (statemachines/*.asl.json), not the API: the workflow contract's
 * tasks, each functions/<name>/handler.ts, named in the ASL through its placeholder.
 */
export {
  WORKFLOW_TASKS as TASK_HANDLERS,
  type WorkflowTask as TaskHandlerName,
} from '../core/ports/workflow-contract.js';

/**
 * The workflow waits on a task Lambda as long as it runs. dispatch-step makes one HTTP request to an
 * agent (its own timeout is at most 30 s) besides its DynamoDB writes and the task-token call, so every
 * task gets twice that bound; a step that takes longer is the agent's to report through its callback.
 * The CDK sets it on the functions; the local engine gives task handlers the same budget.
 */
export const TASK_TIMEOUT_SECONDS = 60;

/** Lambdas triggered by events (EventBridge: an execution's end, a schedule), neither by the API nor by the ASL. */
export const EVENT_HANDLERS = ['execution-ended', 'reconciler'] as const;
export type EventHandlerName = (typeof EVENT_HANDLERS)[number];
