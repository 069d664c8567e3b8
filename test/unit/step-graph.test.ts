// Plans as graphs: `after` validation (unknown references and cycles named on the field), which
// steps are ready, where a graph goes next, and rollback in reverse order of completion.
import { describe, expect, it } from 'vitest';
import { RecommendationInput } from '../../functions/core/model/inputs.js';
import type { ExecutionPlan, PlanStep } from '../../functions/core/model/records.js';
import { graphCursor, rollbackQueue } from '../../functions/core/rules/plan-progress.js';
import { graphIssues, isGraph, predecessors, readySteps } from '../../functions/core/rules/step-graph.js';
import { recommendationInput } from './fixtures.js';

const step = (index: number, fields: Partial<PlanStep> = {}): PlanStep => ({
  id: `p-s${index + 1}`,
  index,
  action: `step_${index}`,
  agent_id: 'a',
  parameters: {},
  critical: true,
  reversible: true,
  timeout_seconds: 60 + index,
  status: 'pending',
  duration_ms: 0,
  ...fields,
});

/** A, then B and C side by side, then D. */
const diamond = (statuses: PlanStep['status'][], fields: Partial<PlanStep>[] = []): PlanStep[] =>
  [[], [0], [0], [1, 2]].map((after, i) => step(i, { after, status: statuses[i], ...fields[i] }));

const plan = (steps: PlanStep[]): ExecutionPlan => ({
  id: 'p',
  recommendation_id: 'r',
  customer_id: 'c',
  steps,
  status: 'running',
  current_step: 0,
  created_at: '2026-01-01T00:00:00.000Z',
  total_duration_ms: 0,
});

describe('after: validation', () => {
  it('accepts a diamond and a plan without after', () => {
    expect(graphIssues([{}, { after: [0] }, { after: [0] }, { after: [1, 2] }])).toEqual([]);
    expect(graphIssues([{}, {}, {}])).toEqual([]);
  });

  it.each([
    [[{}, { after: [5] }], 1, /unknown step 5/],
    [[{}, { after: [-1] }], 1, /unknown step -1/],
    [[{ after: [0] }], 0, /after itself/],
    [[{ after: [1] }, { after: [0] }], 0, /cycle/],
    // Without after, step 2 follows step 1: 0 → 2 → 1 → 0 closes a cycle through the implicit edge.
    [[{ after: [2] }, {}, {}], 0, /cycle/],
  ])('%j: an issue on step %i', (steps, index, message) => {
    const issues = graphIssues(steps);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ index, message: expect.stringMatching(message) });
  });

  it('a 400 names the field: steps.<i>.after', () => {
    const parsed = RecommendationInput.safeParse({
      ...recommendationInput(),
      steps: [{ action: 'a' }, { action: 'b', after: [0, 7] }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['steps', 1, 'after'], message: expect.stringContaining('unknown step 7') }),
    ]);
  });

  it('without after, a step waits for the one before it; the plan is not a graph', () => {
    const steps = [{}, {}, {}];
    expect([0, 1, 2].map((i) => predecessors(steps, i))).toEqual([[], [0], [1]]);
    expect(isGraph(steps)).toBe(false);
    expect(isGraph([{}, { after: [0] }])).toBe(true);
  });
});

describe('running a graph', () => {
  it('B and C are ready together once A completed; D once both ended', () => {
    expect(readySteps(diamond(['pending', 'pending', 'pending', 'pending'])).map((s) => s.index)).toEqual([0]);
    expect(readySteps(diamond(['completed', 'pending', 'pending', 'pending'])).map((s) => s.index)).toEqual([1, 2]);
    expect(readySteps(diamond(['completed', 'completed', 'pending', 'pending'])).map((s) => s.index)).toEqual([2]);
    expect(readySteps(diamond(['completed', 'completed', 'completed', 'pending'])).map((s) => s.index)).toEqual([3]);
  });

  it('a non-critical failure lets its followers go, as in a sequence', () => {
    const steps = diamond(['completed', 'failed', 'completed', 'pending'], [{}, { critical: false }]);
    expect(readySteps(steps).map((s) => s.index)).toEqual([3]);
  });

  it('the cursor carries indexes and timeouts of the ready steps, and the parallel limit', () => {
    expect(graphCursor(plan(diamond(['completed', 'pending', 'pending', 'pending'])), 3)).toEqual({
      index: 1,
      timeout_seconds: 1,
      max_parallel: 3,
      done: false,
      rollback: false,
      ready: [
        { index: 1, timeout_seconds: 61 },
        { index: 2, timeout_seconds: 62 },
      ],
    });
    expect(graphCursor(plan(diamond(['completed', 'completed', 'completed', 'completed'])), 3)).toMatchObject({
      done: true,
      rollback: false,
    });
  });

  it('a critical failure turns the cursor to the rollback, whatever is still pending', () => {
    const cursor = graphCursor(plan(diamond(['completed', 'completed', 'failed', 'pending'])), 5);
    expect(cursor).toMatchObject({ done: false, rollback: true });
    expect(cursor.ready).toBeUndefined();
  });

  it('rolls back completed reversible steps in reverse order of completion, not of index', () => {
    const steps = diamond(
      ['completed', 'completed', 'completed', 'pending'],
      [
        { completed_at: '2026-01-01T00:00:01.000Z' },
        { completed_at: '2026-01-01T00:00:09.000Z' },
        { completed_at: '2026-01-01T00:00:05.000Z' },
      ],
    );
    expect(rollbackQueue(plan(steps))).toEqual([1, 2, 0]);
  });
});
