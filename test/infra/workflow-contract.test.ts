// The ASL and the code name the same things: every error the ASL matches by name (its Retry and Catch,
// inside Parallel branches and Map iterators too, besides States.* and Lambda.*) is one the contract
// names, and every contract error is either matched by name or surfaces from tasks that catch any
// failure; every ${Placeholder} is a task of WORKFLOW_TASKS, and every task is used.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CAUGHT_AS_ANY_FAILURE,
  WORKFLOW_ERRORS,
  WORKFLOW_TASKS,
  type WorkflowError,
} from '../../functions/core/ports/workflow-contract.js';
import { ASL_PATH, placeholdersIn } from '../../lib/workflow.js';

/** The ASL: JSON of many shapes. */
type Json = any;

const rawAsl = readFileSync(ASL_PATH, 'utf8');

/** Every state of a machine, Parallel branches and Map iterators included. */
function statesOf(machine: Json): Json[] {
  return Object.values<Json>(machine.States).flatMap((state) => [
    state,
    ...(state.Branches ?? []).flatMap(statesOf),
    ...[state.Iterator, state.ItemProcessor].filter(Boolean).flatMap(statesOf),
  ]);
}

const errorsMatched = (states: Json[]) =>
  new Set(states.flatMap((s) => [...(s.Retry ?? []), ...(s.Catch ?? [])].flatMap((r: Json) => r.ErrorEquals)));

const byName = (errors: Set<string>) => [...errors].filter((e) => !/^(States|Lambda)\./.test(e)).sort();

const placeholderOf = (state: Json) => /^\$\{(.+)\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];

describe('the workflow contract', () => {
  const states = statesOf(JSON.parse(rawAsl));

  it('reads states nested in Parallel branches and Map iterators', () => {
    const machine = {
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ States: { A: { Type: 'Task', Retry: [{ ErrorEquals: ['Inner'] }] } } }],
        },
        M: { Type: 'Map', ItemProcessor: { States: { B: { Type: 'Task', Catch: [{ ErrorEquals: ['Deeper'] }] } } } },
        O: { Type: 'Map', Iterator: { States: { C: { Type: 'Pass', Catch: [{ ErrorEquals: ['States.ALL'] }] } } } },
      },
    };
    expect(byName(errorsMatched(statesOf(machine)))).toEqual(['Deeper', 'Inner']);
  });

  it('names every error the ASL matches by name, and only those, apart from the ones caught as any failure', () => {
    const named = (Object.keys(WORKFLOW_ERRORS) as WorkflowError[]).filter((e) => !(e in CAUGHT_AS_ANY_FAILURE));
    expect(byName(errorsMatched(states))).toEqual(named.sort());
  });

  it('maps each error name to itself, so WORKFLOW_ERRORS.X is the string the ASL matches', () => {
    for (const [key, value] of Object.entries(WORKFLOW_ERRORS)) expect(value).toBe(key);
  });

  it('catches the errors it does not name wherever their task runs, through States.ALL or States.TaskFailed', () => {
    for (const [error, task] of Object.entries(CAUGHT_AS_ANY_FAILURE)) {
      const invoking = states.filter((s) => placeholderOf(s) === WORKFLOW_TASKS[task]);
      expect(invoking.length, `${error}: ${task} is invoked`).toBeGreaterThan(0);
      for (const state of invoking) {
        const caught = errorsMatched([{ Catch: state.Catch }]);
        expect(caught.has('States.ALL') || caught.has('States.TaskFailed'), `${error} from ${task}`).toBe(true);
      }
    }
  });

  it('has exactly one ${Placeholder} per workflow task, and every Lambda task names one', () => {
    expect(placeholdersIn(rawAsl).sort()).toEqual(Object.values(WORKFLOW_TASKS).sort());
    const lambdaTasks = states.filter((s) => s.Type === 'Task' && String(s.Resource).includes(':lambda:invoke'));
    expect(lambdaTasks.length).toBeGreaterThan(0);
    for (const state of lambdaTasks) expect(Object.values<string>(WORKFLOW_TASKS)).toContain(placeholderOf(state));
  });
});
