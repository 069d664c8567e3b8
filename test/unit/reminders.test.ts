// When approvers are reminded, and how long the workflow waits on the approval between reminders.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_TIMEOUT_GRACE_SECONDS,
  approvalTimer,
  nextReminderAt,
  remindersDue,
} from '../../functions/core/rules/reminders.js';

const window = { requested_at: '2026-01-01T00:00:00.000Z', expires_at: '2026-01-01T04:00:00.000Z' };
const t = (iso: string) => new Date(iso);

describe('reminders over the approval window', () => {
  it('are due at the fractions of the window: 50% and 90% of 4 hours', () => {
    expect(nextReminderAt(window, [0.5, 0.9], t('2026-01-01T00:00:00.000Z'))).toBe('2026-01-01T02:00:00.000Z');
    expect(nextReminderAt(window, [0.5, 0.9], t('2026-01-01T02:00:00.000Z'))).toBe('2026-01-01T03:36:00.000Z');
    expect(nextReminderAt(window, [0.5, 0.9], t('2026-01-01T03:36:00.000Z'))).toBeUndefined();
    expect(remindersDue(window, [0.5, 0.9], t('2026-01-01T01:59:59.999Z'))).toBe(0);
    expect(remindersDue(window, [0.5, 0.9], t('2026-01-01T02:00:00.000Z'))).toBe(1);
    expect(remindersDue(window, [0.5, 0.9], t('2026-01-01T03:36:00.000Z'))).toBe(2);
  });

  it('wait until the next reminder, then until the expiry and its grace; none configured waits for the expiry', () => {
    expect(approvalTimer(window, [0.5, 0.9], t('2026-01-01T00:00:00.000Z'))).toEqual({
      timeout_seconds: 7200,
      next_reminder_at: '2026-01-01T02:00:00.000Z',
    });
    expect(approvalTimer(window, [0.5, 0.9], t('2026-01-01T03:36:00.000Z'))).toEqual({
      timeout_seconds: 1440 + APPROVAL_TIMEOUT_GRACE_SECONDS,
    });
    expect(approvalTimer(window, [], t('2026-01-01T00:00:00.000Z'))).toEqual({
      timeout_seconds: 4 * 3600 + APPROVAL_TIMEOUT_GRACE_SECONDS,
    });
  });

  it('never time out before the reminder is due, and always wait at least a second', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60_000, max: 7 * 86_400_000 }),
        fc.uniqueArray(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { maxLength: 5 }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        (length, unsorted, at) => {
          const fractions = [...unsorted].sort((a, b) => a - b);
          const start = Date.parse(window.requested_at);
          const w = { requested_at: window.requested_at, expires_at: new Date(start + length).toISOString() };
          const now = new Date(start + Math.floor(at * length));
          const timer = approvalTimer(w, fractions, now);
          expect(timer.timeout_seconds).toBeGreaterThanOrEqual(1);
          const firesAt = now.getTime() + timer.timeout_seconds * 1000;
          if (timer.next_reminder_at) {
            expect(firesAt).toBeGreaterThanOrEqual(Date.parse(timer.next_reminder_at));
            // One more is due (two, when they fall within the same second: one email says both).
            expect(remindersDue(w, fractions, new Date(firesAt))).toBeGreaterThan(remindersDue(w, fractions, now));
          } else {
            expect(firesAt).toBeGreaterThan(Date.parse(w.expires_at));
          }
        },
      ),
    );
  });
});
