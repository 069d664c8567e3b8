// Plans as graphs: a step may run `after` others (indexes counted from 0); without `after` it follows
// the previous step, so a plan that names no `after` runs exactly as a sequence.
import type { PlanStep } from '../model/records.js';

type GraphStep = { after?: readonly number[] };

/** What a step waits for: its `after`, else the step before it. */
export function predecessors(steps: readonly GraphStep[], index: number): readonly number[] {
  return steps[index]?.after ?? (index > 0 ? [index - 1] : []);
}

export interface GraphIssue {
  index: number;
  message: string;
}

/** Unknown references and cycles, each reported on the `after` of a step that has it. */
export function graphIssues(steps: readonly GraphStep[]): GraphIssue[] {
  const issues: GraphIssue[] = [];
  steps.forEach((step, index) => {
    for (const ref of step.after ?? []) {
      if (ref === index) issues.push({ index, message: `step ${index} cannot run after itself` });
      else if (ref < 0 || ref >= steps.length)
        issues.push({ index, message: `unknown step ${ref}: the plan has steps 0 to ${steps.length - 1}` });
    }
  });
  if (issues.length > 0) return issues;
  const cycle = findCycle(steps);
  return cycle ? [{ index: cycle[0], message: `steps ${cycle.join(' → ')} form a cycle` }] : [];
}

/** A cycle as the indexes on it (first repeated last), found by depth-first search. */
function findCycle(steps: readonly GraphStep[]): number[] | undefined {
  const state = new Array<'open' | 'done' | undefined>(steps.length);
  const path: number[] = [];
  const visit = (index: number): number[] | undefined => {
    if (state[index] === 'done') return undefined;
    if (state[index] === 'open') return [...path.slice(path.indexOf(index)), index];
    state[index] = 'open';
    path.push(index);
    for (const before of predecessors(steps, index)) {
      const cycle = visit(before);
      if (cycle) return cycle;
    }
    path.pop();
    state[index] = 'done';
    return undefined;
  };
  for (let i = 0; i < steps.length; i += 1) {
    const cycle = visit(i);
    if (cycle) return cycle;
  }
  return undefined;
}

/** A plan runs as a graph when any step names `after`; otherwise it keeps today's one-after-another path. */
export function isGraph(steps: readonly GraphStep[]): boolean {
  return steps.some((s) => s.after !== undefined);
}

/** A predecessor lets its followers go once it completed, or failed without being critical (as today). */
function letsGo(step: PlanStep): boolean {
  return step.status === 'completed' || (step.status === 'failed' && !step.critical);
}

export function criticalFailure(steps: readonly PlanStep[]): boolean {
  return steps.some((s) => s.status === 'failed' && s.critical);
}

/** Pending steps whose predecessors all let them go, in index order. */
export function readySteps(steps: readonly PlanStep[]): PlanStep[] {
  return steps.filter(
    (step) => step.status === 'pending' && predecessors(steps, step.index).every((i) => letsGo(steps[i])),
  );
}
