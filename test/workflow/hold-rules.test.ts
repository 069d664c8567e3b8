// The execution-time gate's rules (core/rules/execution-hold.ts), pure: which hold applies, until when.
import { describe, expect, it } from 'vitest';
import { freezeAt, holdBeforeStart } from '../../functions/core/rules/execution-hold.js';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const open = { paused: false, freeze_windows: [] };

describe('holdBeforeStart', () => {
  it('lets a plan with no window start when nothing is paused or frozen', () => {
    expect(holdBeforeStart({}, open, NOW)).toBeUndefined();
    expect(holdBeforeStart({ window: { not_before: at(-1), not_after: at(60) } }, open, NOW)).toBeUndefined();
  });

  it('expires a plan whose not_after passed, before any other reason (even paused)', () => {
    expect(holdBeforeStart({ window: { not_after: at(0) } }, { ...open, paused: true }, NOW)).toEqual({
      kind: 'expired',
    });
  });

  it('holds a paused customer’s plan', () => {
    expect(holdBeforeStart({}, { ...open, paused: true }, NOW)?.kind).toBe('paused');
  });

  it('waits until not_before, or until not_after when the window opens later than that', () => {
    expect(holdBeforeStart({ window: { not_before: at(5) } }, open, NOW)).toMatchObject({
      kind: 'window',
      until: at(5),
    });
    const frozen = { ...open, freeze_windows: [{ name: 'f', start: at(-10), end: at(30) }] };
    expect(holdBeforeStart({ window: { not_after: at(20) } }, frozen, NOW)).toMatchObject({
      kind: 'window',
      until: at(20),
    });
  });

  it('waits through a freeze to its end, naming it', () => {
    const frozen = { ...open, freeze_windows: [{ name: 'release', start: at(-10), end: at(30) }] };
    expect(holdBeforeStart({}, frozen, NOW)).toEqual({
      kind: 'window',
      until: at(30),
      reason: `waiting for change window: freeze release until ${at(30)}`,
    });
  });
});

describe('freezeAt', () => {
  it('extends through freezes that overlap or touch, not through a later separate one', () => {
    const windows = [
      { name: 'b', start: at(20), end: at(40) },
      { name: 'a', start: at(-5), end: at(20) },
      { name: 'c', start: at(39), end: at(50) },
      { name: 'later', start: at(60), end: at(90) },
    ];
    expect(freezeAt(windows, NOW.getTime())).toEqual({ end: Date.parse(at(50)), names: ['a', 'b', 'c'] });
  });

  it('is none outside every freeze, and none at a freeze’s end (the end is open)', () => {
    expect(freezeAt([{ name: 'x', start: at(1), end: at(2) }], NOW.getTime())).toBeUndefined();
    expect(freezeAt([{ name: 'x', start: at(-2), end: at(0) }], NOW.getTime())).toBeUndefined();
  });
});
