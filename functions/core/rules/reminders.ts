// When approvers who have not voted are reminded: at fractions of the approval window (the policy's
// `reminders` for the approval's risk level). The workflow's wait on the approval's task token times
// out at the next reminder, sends it, and waits again; after the last one it waits until the approval
// expires, and a few seconds more.

/**
 * The wait on the approval ends this long after the decision window closes, so a vote accepted just
 * before (its write in flight) has landed when "Remind approvers" reads the approval. Seconds are
 * enough: a decision that lands while no task waits is not lost either, since "Remind approvers" then
 * finds it decided and goes back to the wait, which signals it at once.
 */
export const APPROVAL_TIMEOUT_GRACE_SECONDS = 10;

export interface ApprovalWindow {
  requested_at: string;
  expires_at: string;
}

/** The reminder times of a window, in order (epoch ms). */
export function reminderTimes(window: ApprovalWindow, fractions: readonly number[]): number[] {
  const start = Date.parse(window.requested_at);
  const length = Date.parse(window.expires_at) - start;
  return fractions.map((f) => start + Math.round(f * length));
}

/** The first reminder due strictly after `now`, as an ISO timestamp; undefined when none is left. */
export function nextReminderAt(window: ApprovalWindow, fractions: readonly number[], now: Date): string | undefined {
  const next = reminderTimes(window, fractions).find((t) => t > now.getTime());
  return next === undefined ? undefined : new Date(next).toISOString();
}

/** How many of the window's reminders are due by `now` (the 2nd is due once its time has come). */
export function remindersDue(window: ApprovalWindow, fractions: readonly number[], now: Date): number {
  return reminderTimes(window, fractions).filter((t) => t <= now.getTime()).length;
}

export interface ApprovalTimer {
  /** The task token wait's TimeoutSeconds: until the next reminder, else until the expiry and its grace. */
  timeout_seconds: number;
  /** When the wait ends for a reminder; absent when the next timeout is the expiry. */
  next_reminder_at?: string;
}

/**
 * How long the workflow waits on the approval from `now`. Rounded up, so the timeout never fires
 * before the reminder is due (a reminder task that finds none due would only wait again).
 */
export function approvalTimer(window: ApprovalWindow, fractions: readonly number[], now: Date): ApprovalTimer {
  const next = nextReminderAt(window, fractions, now);
  const until = (t: number) => Math.max(1, Math.ceil((t - now.getTime()) / 1000));
  if (next) return { timeout_seconds: until(Date.parse(next)), next_reminder_at: next };
  return { timeout_seconds: until(Date.parse(window.expires_at)) + APPROVAL_TIMEOUT_GRACE_SECONDS };
}
