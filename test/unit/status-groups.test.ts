// The named status groups (model/statuses.ts) against each other: written once, they must still
// say what their names say, since the workflow's conditions and the dependency rules read them.
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STATUSES,
  BEFORE_RUN,
  CANCELLABLE_STATUSES,
  ENDED_WITHOUT_COMPLETING,
  ENDINGS_BEFORE_RUN,
  endedWithoutCompleting,
  inGroup,
  isActive,
  PLAN_UNDER_WAY,
  RECOMMENDATION_STATUSES,
  TERMINAL_STATUSES,
} from '../../functions/core/model/statuses.js';
import { FINISHED_PLAN_STATUSES, PLAN_STATUS_BY_OUTCOME } from '../../functions/core/rules/plan-progress.js';
import { OUTCOMES } from '../../functions/core/use-cases/record-outcome.js';

const sorted = (statuses: readonly string[]) => [...statuses].sort();

describe('recommendation status groups', () => {
  it('split every status into active, completed, or ended without completing, each exactly once', () => {
    const parts = [...ACTIVE_STATUSES, 'completed', ...ENDED_WITHOUT_COMPLETING];
    expect(sorted(parts)).toEqual(sorted(RECOMMENDATION_STATUSES));
    expect(new Set(parts).size).toBe(parts.length);
  });

  it('call terminal exactly what is not active', () => {
    expect(sorted(TERMINAL_STATUSES)).toEqual(sorted(RECOMMENDATION_STATUSES.filter((s) => !isActive(s))));
  });

  it('nest: before run ⊂ plan under way ⊂ active, and under way adds only executing', () => {
    expect(BEFORE_RUN.every((s) => inGroup(PLAN_UNDER_WAY, s))).toBe(true);
    expect(PLAN_UNDER_WAY.filter((s) => !inGroup(BEFORE_RUN, s))).toEqual(['executing']);
    expect(PLAN_UNDER_WAY.every(isActive)).toBe(true);
    expect(CANCELLABLE_STATUSES.every(isActive)).toBe(true);
    expect(CANCELLABLE_STATUSES).not.toContain('executing');
  });

  it('count as endings before a run every ending but the two a rollback leads to', () => {
    expect(sorted(ENDINGS_BEFORE_RUN)).toEqual(
      sorted(ENDED_WITHOUT_COMPLETING.filter((s) => s !== 'rolled_back' && s !== 'rollback_failed')),
    );
  });

  it('answer membership for statuses read as plain strings, unknown ones included', () => {
    expect(isActive('waiting_resources')).toBe(true);
    expect(isActive('completed')).toBe(false);
    expect(isActive('unknown')).toBe(false);
    expect(endedWithoutCompleting('superseded')).toBe(true);
    expect(endedWithoutCompleting('completed')).toBe(false);
    expect(endedWithoutCompleting('executing')).toBe(false);
  });
});

describe('plan and outcome groups', () => {
  it('finish a plan in exactly the statuses an execution outcome gives it', () => {
    expect(sorted(FINISHED_PLAN_STATUSES)).toEqual(sorted([...new Set(Object.values(PLAN_STATUS_BY_OUTCOME))]));
    expect(FINISHED_PLAN_STATUSES).not.toContain('pending');
    expect(FINISHED_PLAN_STATUSES).not.toContain('running');
  });

  it('record outcomes that, but for the two the task turns into others, are terminal statuses', () => {
    const statuses = OUTCOMES.filter((o) => o !== 'approval_failed' && o !== 'expired_before_run');
    expect(statuses.every((o) => inGroup(TERMINAL_STATUSES, o))).toBe(true);
  });
});
