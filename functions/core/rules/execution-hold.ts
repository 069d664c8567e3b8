// Whether a plan may take its locks and start now (issue 9 §6, §7): not while its customer is paused,
// not before its window's not_before, not inside a freeze window; and never after its not_after, which
// ends it expired. The coordinate-time timing check (conflicts.ts) stays: this is the execution-time one.
import type { FreezeWindow, TimeWindow } from '../model/inputs.js';
import type { Policy } from './policy.js';

export type Hold =
  /** not_after passed before it could start: it ends expired (expiry.ts says why). */
  | { kind: 'expired' }
  /** The customer is paused: it waits for the resume. */
  | { kind: 'paused'; reason: string }
  /** Before not_before or inside a freeze: it waits until `until` (the window opens, or not_after comes). */
  | { kind: 'window'; until: string; reason: string };

/** Why and until when a plan that has not started must not start now; undefined when it may. */
export function holdBeforeStart(
  rec: { window?: TimeWindow },
  policy: Pick<Policy, 'paused' | 'freeze_windows'>,
  now: Date,
): Hold | undefined {
  const notAfter = rec.window?.not_after ? Date.parse(rec.window.not_after) : Number.POSITIVE_INFINITY;
  if (notAfter <= now.getTime()) return { kind: 'expired' };
  if (policy.paused) return { kind: 'paused', reason: 'paused: the customer is paused; it starts when resumed' };
  const notBefore = rec.window?.not_before ? Date.parse(rec.window.not_before) : undefined;
  if (notBefore !== undefined && notBefore > now.getTime())
    return waitUntil(notBefore, notAfter, `waiting for change window: not before ${rec.window?.not_before}`);
  const freeze = freezeAt(policy.freeze_windows, now.getTime());
  if (freeze)
    return waitUntil(
      freeze.end,
      notAfter,
      `waiting for change window: freeze ${freeze.names.join(', ')} until ${new Date(freeze.end).toISOString()}`,
    );
  return undefined;
}

/** Waits until the window opens, or until not_after if that comes first (then it ends expired). */
function waitUntil(opens: number, notAfter: number, reason: string): Hold {
  return { kind: 'window', until: new Date(Math.min(opens, notAfter)).toISOString(), reason };
}

/** The freeze covering `at`, extended through every freeze that overlaps or touches it: when they all end. */
export function freezeAt(windows: readonly FreezeWindow[], at: number): { end: number; names: string[] } | undefined {
  let end = at;
  const names: string[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const w of windows) {
      const start = Date.parse(w.start);
      const stop = Date.parse(w.end);
      if (start <= end && stop > end) {
        end = stop;
        if (!names.includes(w.name)) names.push(w.name);
        grew = true;
      }
    }
  }
  return names.length > 0 ? { end, names } : undefined;
}
