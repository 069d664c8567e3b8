// Step Functions' documented quotas, enforced by the local engine as AWS enforces them: a state's
// input or output, a task's input after Parameters and a task's result are each at most 256 KiB of
// UTF-8 JSON (else States.DataLimitExceeded, terminal: neither Retry nor a States.ALL Catch sees
// it); an execution's history holds at most 25,000 events (else the execution fails).
import { taskError } from './task-tokens.js';

export const MAX_PAYLOAD_BYTES = 262_144;
export const MAX_HISTORY_EVENTS = 25_000;
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';
/** AWS documents that the execution fails at the quota, not under which error name; States.Runtime is its terminal kind. */
export const HISTORY_LIMIT_ERROR = 'States.Runtime';

export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/** The cause AWS gives, or undefined when the value fits. */
export function overPayloadLimit(value: unknown, what: string): string | undefined {
  const bytes = payloadBytes(value);
  return bytes > MAX_PAYLOAD_BYTES
    ? `The ${what} has a size of ${bytes} bytes, exceeding the maximum of ${MAX_PAYLOAD_BYTES} bytes`
    : undefined;
}

/** A terminal error: the engine reads these flags to neither retry nor catch it. */
export function terminalError(error: string, cause: string): Error {
  return Object.assign(taskError(error, cause), { isRetryable: false, isCatchable: false });
}

export function checkPayload(value: unknown, what: string): void {
  const cause = overPayloadLimit(value, what);
  if (cause) throw terminalError(DATA_LIMIT_EXCEEDED, cause);
}
