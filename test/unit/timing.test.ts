// Timing: a recommendation whose time has passed expires; one that could only run inside a change
// freeze is rejected; one that can run before or after the freeze is fine.
import { describe, expect, it } from 'vitest';
import { resolveConflicts } from '../../functions/core/rules/resolution.js';
import { input, NOW, rec } from './fixtures.js';

const at = (hours: number) => new Date(NOW.getTime() + hours * 3600_000).toISOString();
const freeze = { name: 'year-end', start: at(2), end: at(10) };

function outcomeOf(fields: Parameters<typeof rec>[1]) {
  const result = resolveConflicts(input([rec('r', fields)], { freezeWindows: [freeze] }));
  return {
    ...result.outcomes.get('r')!,
    conflicts: result.conflicts.map((c) => [c.type, c.description, c.conflicting_field]),
  };
}

describe('timing', () => {
  it.each([
    ['expires_at in the past', { expires_at: at(-1) }, `Expired at ${at(-1)}`],
    ['expires_at exactly now', { expires_at: at(0) }, `Expired at ${at(0)}`],
    ['window.not_after in the past', { window: { not_after: at(-0.5) } }, `Window closed at ${at(-0.5)}`],
  ])('%s: expired, with a timing conflict', (_, fields, description) => {
    const outcome = outcomeOf(fields);
    expect(outcome.status).toBe('expired');
    expect(outcome.conflicts).toEqual([['timing', description, 'window']]);
  });

  it.each([
    ['expires later', { expires_at: at(1) }],
    ['window still open', { window: { not_before: at(-5), not_after: at(1) } }],
    ['window starts before the freeze', { window: { not_before: at(1), not_after: at(5) } }],
    ['window ends after the freeze', { window: { not_before: at(5), not_after: at(11) } }],
    ['window spans the freeze', { window: { not_before: at(1), not_after: at(11) } }],
    ['window without an end', { window: { not_before: at(3) } }],
  ])('%s: kept', (_, fields) => {
    expect(outcomeOf(fields)).toMatchObject({ status: 'kept', conflicts: [] });
  });

  it.each([
    ['window inside the freeze', { window: { not_before: at(3), not_after: at(9) } }],
    ['window exactly the freeze', { window: { not_before: at(2), not_after: at(10) } }],
  ])('%s: rejected, naming the freeze', (_, fields) => {
    const outcome = outcomeOf(fields);
    expect(outcome.status).toBe('rejected');
    expect(outcome.conflicts).toEqual([
      ['timing', `Window lies inside change freeze 'year-end' (${freeze.start} to ${freeze.end})`, 'window'],
    ]);
  });

  it('a window that opened before a freeze already under way and closes inside it is rejected', () => {
    const result = resolveConflicts(
      input([rec('r', { window: { not_before: at(-3), not_after: at(1) } })], {
        freezeWindows: [{ name: 'now', start: at(-1), end: at(2) }],
      }),
    );
    expect(result.outcomes.get('r')?.status).toBe('rejected');
  });

  it('an expired recommendation costs nobody their place, and depending on it cancels', () => {
    const result = resolveConflicts(
      input([
        rec('stale', { priority: 9, affected_resources: ['x'], expires_at: at(-1) }),
        rec('fresh', { priority: 1, affected_resources: ['x'] }),
        rec('needs-stale', { dependencies: ['stale'] }),
      ]),
    );
    expect(result.kept).toEqual(['fresh']);
    expect(result.outcomes.get('needs-stale')?.status).toBe('cancelled');
    const pair = result.conflicts.find((c) => c.type === 'resource');
    expect(pair?.resolution).toBe('Kept recommendation fresh (priority: 1, savings: 0.00), expired stale');
  });

  it('depending on an expired recommendation cancels, even for one that would also lose a conflict', () => {
    const result = resolveConflicts(
      input([
        rec('stale', { expires_at: at(-1) }),
        rec('needs-stale', { priority: 1, dependencies: ['stale'], affected_resources: ['x'] }),
        rec('better', { priority: 9, affected_resources: ['x'] }),
      ]),
    );
    expect(result.outcomes.get('needs-stale')).toMatchObject({
      status: 'cancelled',
      reason: `dependency stale was expired: Expired at ${at(-1)}`,
    });
  });
});
