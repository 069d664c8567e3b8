// An asynchronous agent's report: POSTed to the step's callback URL, signed like the step itself.
// Like a real agent, it tries again when Arbiter is briefly unavailable: the SDK's own retry loop,
// with fewer and shorter tries (a simulated agent gives up soon).
import type { StepReport } from '../../functions/core/protocol/agent-steps.js';
import { postCallback } from '../../sdk/callback.js';

/** What the request log shows: Arbiter's last status, or why it could not be reached. */
export interface CallbackOutcome {
  /** The last HTTP status Arbiter answered; absent when it never answered. */
  status?: number;
  error?: string;
  attempts: number;
}

const ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 200;

export async function sendCallback(
  url: string,
  secret: string,
  report: StepReport & { customer_id: string },
  stop: AbortSignal,
): Promise<CallbackOutcome> {
  const sent = postCallback(url, report, secret, { attempts: ATTEMPTS, backoffMs: FIRST_BACKOFF_MS, signal: stop });
  // The SDK refuses to sign what is not a step report: logged like an unreachable Arbiter, never thrown.
  const { status, error, attempts } = await sent.catch((refused: Error) => ({
    status: undefined,
    error: refused.message,
    attempts: 0,
  }));
  // An answer is logged by its status alone; the error only says why there was none.
  if (status !== undefined) return { status, attempts };
  return error === undefined ? { attempts } : { error, attempts };
}
