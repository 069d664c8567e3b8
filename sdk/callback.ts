// Reporting a step later: the signed POST to the step's `callback_url`, tried again (signed afresh
// each time) while Arbiter is unreachable, answers 5xx or throttles. 401, 409 and 413 are final:
// trying again would not change them.
import { setTimeout as sleep } from 'node:timers/promises';
import { type StepCallback, signCallback } from './signing.js';

export interface CallbackOptions {
  /** Tries in all (default 5). */
  attempts?: number;
  /** Wait before the second try, doubling after each (default 500 ms). */
  backoffMs?: number;
  /** Give up on one try after this long (default 10 s). */
  timeoutMs?: number;
  /** Stops the tries (the agent shutting down). */
  signal?: AbortSignal;
}

export interface CallbackOutcome {
  /** Arbiter's last answer; absent when it never answered. */
  status?: number;
  /** Arbiter's `error`, or why it could not be reached. */
  error?: string;
  attempts: number;
  /** True when Arbiter accepted the report (200). */
  delivered: boolean;
}

const worthRetrying = (status: number) => status >= 500 || status === 429;

export async function postCallback(
  callbackUrl: string,
  report: StepCallback,
  secret: string,
  options: CallbackOptions = {},
): Promise<CallbackOutcome> {
  const { attempts = 5, backoffMs = 500, timeoutMs = 10_000, signal } = options;
  let outcome: CallbackOutcome = { attempts: 0, delivered: false };
  for (let attempt = 1; attempt <= attempts && !signal?.aborted; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2), undefined, { signal }).catch(() => undefined);
    if (signal?.aborted) break;
    const { body, headers } = signCallback(report, secret);
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      const response = await fetch(callbackUrl, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const text = await response.text();
      outcome = { status: response.status, attempts: attempt, delivered: response.status === 200 };
      if (!response.ok) outcome.error = errorText(text);
      if (!worthRetrying(response.status)) return outcome;
    } catch (error) {
      const cause = error instanceof Error ? (error.cause ?? error) : error;
      outcome = { attempts: attempt, delivered: false, error: String(cause instanceof Error ? cause.message : cause) };
    }
  }
  return outcome;
}

function errorText(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 500);
}
