// A plan's step as the local console and log name it: "Run step 2: migrate_workload" rather than
// the bare state name. A state's name is fixed in the ASL (AWS shows "Run step" for every step, with
// the index in its input); locally the index comes from the task's own Parameters (its
// `step_index.$` path, read from the state's input) and the action from the plan.
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { taskStates } from './definition.js';

/** The plan's step actions by index, for a recommendation; undefined when it has no plan. */
export type StepActions = (customerId: string, recommendationId: string) => Promise<readonly string[] | undefined>;

/** `Run step`, index 1, `migrate_workload` → "Run step 2: migrate_workload" (steps count from 1, as people do). */
export function stepStateName(state: string, index: number, action?: string): string {
  return `${state} ${index + 1}${action ? `: ${action}` : ''}`;
}

/** The tasks that run one step of a plan, with the path of the step's index in the state's input. */
export function stepIndexPaths(definition: StateMachineDefinition): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [name, task] of taskStates(definition)) {
    const payload = (task.Parameters as { Payload?: Record<string, unknown> } | undefined)?.Payload;
    const path = payload?.['step_index.$'];
    if (typeof path === 'string') paths.set(name, path);
  }
  return paths;
}

/** A plain `$.a.b.c` path read from a value; undefined for anything else. */
export function readPath(value: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z_][\w]*)+$/.test(path)) return undefined;
  let at = value;
  for (const key of path.slice(2).split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The step index a state entered with `input` works on, if it is a step task. */
export function stepIndexOf(paths: ReadonlyMap<string, string>, state: string, input: unknown): number | undefined {
  const path = paths.get(state);
  const index = path === undefined ? undefined : readPath(input, path);
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
}
