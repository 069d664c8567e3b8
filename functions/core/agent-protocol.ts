// How Arbiter and agents talk. A step is a signed POST to the agent; the agent answers 200 with
// the result, or 202 and calls back later, signing its callback the same way. The signature is
// HMAC-SHA256 over "<timestamp>.<body>" with the agent's signing secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-arbiter-signature';
export const TIMESTAMP_HEADER = 'x-arbiter-timestamp';
/** Requests older or newer than this are refused: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface StepRequest {
  step_id: string;
  plan_id: string;
  recommendation_id: string;
  customer_id: string;
  action: string;
  mode: 'execute' | 'rollback';
  parameters: Record<string, unknown>;
  rollback_data?: Record<string, unknown>;
  /** Where to report a result later (after answering 202). */
  callback_url: string;
}

/** An agent's answer: 200 body, or the body of its callback. */
export interface StepReport {
  status: 'completed' | 'failed';
  result?: Record<string, unknown>;
  rollback_data?: Record<string, unknown>;
  error?: string;
}

export function signBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signBody(secret, timestamp, body) };
}

export type SignatureCheck = 'valid' | 'forged' | 'stale';

export function checkSignature(secret: string, timestamp: string | undefined, signature: string | undefined, body: string, now: Date): SignatureCheck {
  const ts = Number(timestamp);
  if (!timestamp || !Number.isInteger(ts) || !signature) return 'forged';
  const expected = Buffer.from(signBody(secret, ts, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
  return Math.abs(now.getTime() / 1000 - ts) > SIGNATURE_TOLERANCE_SECONDS ? 'stale' : 'valid';
}
