// An asynchronous agent's report: POSTed to the step's callback URL, signed like the step itself.
// Like a real agent, it tries again when Arbiter is briefly unavailable.
import { setTimeout as sleep } from 'node:timers/promises';
import { type StepReport, signedHeaders } from '../../functions/core/protocol/agent-steps.js';

export interface CallbackOutcome {
  /** The last HTTP status Arbiter answered; absent when it never answered. */
  status?: number;
  error?: string;
  attempts: number;
}

const ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 200;
const TIMEOUT_MS = 10_000;

function worthRetrying(status: number): boolean {
  return status >= 500 || status === 429;
}

export async function sendCallback(
  url: string,
  secret: string,
  report: StepReport & { customer_id: string },
  stop: AbortSignal,
): Promise<CallbackOutcome> {
  const body = JSON.stringify(report);
  let outcome: CallbackOutcome = { attempts: 0 };
  for (let attempt = 1; attempt <= ATTEMPTS && !stop.aborted; attempt++) {
    if (attempt > 1)
      await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 2), undefined, { signal: stop }).catch(() => undefined);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: signedHeaders(secret, body, new Date()),
        body,
        redirect: 'manual',
        signal: AbortSignal.any([stop, AbortSignal.timeout(TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      outcome = { status: response.status, attempts: attempt };
      if (!worthRetrying(response.status)) return outcome;
    } catch (error) {
      outcome = {
        error: error instanceof Error ? String(error.cause ?? error.message) : String(error),
        attempts: attempt,
      };
    }
  }
  return outcome;
}
