// The agent's half of the step protocol's signatures, on the core's own functions: a step request
// is checked exactly as Arbiter checks callbacks, and a callback is signed exactly as Arbiter
// signs steps (HMAC-SHA256 over "<timestamp>.<body>", functions/core/protocol/agent-steps.ts).
import type { z } from 'zod';
import {
  checkSignature,
  describeIssues,
  SIGNATURE_HEADER,
  StepCallbackSchema,
  type StepRequest,
  StepRequestSchema,
  signedHeaders,
  TIMESTAMP_HEADER,
} from '../functions/core/protocol/agent-steps.js';

export type { StepRequest };
export { SIGNATURE_HEADER, TIMESTAMP_HEADER };

/** A report posted to the callback URL: the step's report and its customer. */
export type StepCallback = z.input<typeof StepCallbackSchema>;

/** Node's `req.headers`, a fetch `Headers`, or any record of header names (any case) to values. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

/**
 * Why a step request was refused: a header is missing, the signature matches none of the secrets,
 * it is older (or newer) than five minutes, or the body is not a step.
 */
export type RefusalReason = 'missing_header' | 'bad_signature' | 'stale' | 'malformed';

export type StepVerification =
  | { ok: true; step: StepRequest }
  | { ok: false; reason: RefusalReason; status: 400 | 401; error: string };

/** One secret, or several while a rotation's grace period lasts (any of them verifies). */
export type Secrets = string | readonly string[];

export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  return undefined;
}

const refused = (reason: RefusalReason, error: string): StepVerification => ({
  ok: false,
  reason,
  status: reason === 'malformed' ? 400 : 401,
  error,
});

/** Checks a step request Arbiter POSTed: its signature over the exact body bytes, its age, then its fields. */
export function verifyStepRequest(
  headers: HeadersLike,
  body: string | Uint8Array,
  secret: Secrets,
  now: Date = new Date(),
): StepVerification {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const timestamp = headerValue(headers, TIMESTAMP_HEADER);
  const signature = headerValue(headers, SIGNATURE_HEADER);
  for (const [name, value] of [
    [TIMESTAMP_HEADER, timestamp],
    [SIGNATURE_HEADER, signature],
  ] as const)
    if (!value) return refused('missing_header', `the ${name} header is missing`);
  const checks = secretsOf(secret).map((s) => checkSignature(s, timestamp, signature, text, now));
  if (!checks.includes('valid'))
    return checks.includes('stale')
      ? refused('stale', `the request is signed more than five minutes from now (${TIMESTAMP_HEADER}: ${timestamp})`)
      : refused('bad_signature', `the ${SIGNATURE_HEADER} header does not match the body and the signing secret`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refused('malformed', 'the body is not JSON');
  }
  const step = StepRequestSchema.safeParse(parsed);
  return step.success ? { ok: true, step: step.data } : refused('malformed', describeIssues(step.error));
}

export interface SignedCallback {
  /** POST exactly these bytes: the signature covers them. */
  body: string;
  headers: Record<string, string>;
}

/** The callback body and its signature headers for a report (with the step's `customer_id`). */
export function signCallback(report: StepCallback, secret: string, now: Date = new Date()): SignedCallback {
  const checked = StepCallbackSchema.safeParse(report);
  if (!checked.success) throw new TypeError(`not a step report: ${describeIssues(checked.error)}`);
  const body = JSON.stringify(report);
  return { body, headers: signedHeaders(secret, body, now) };
}

export function secretsOf(secret: Secrets): string[] {
  const list = typeof secret === 'string' ? [secret] : [...secret];
  if (list.length === 0 || list.some((s) => s.length === 0)) throw new TypeError('a signing secret is required');
  return list;
}
