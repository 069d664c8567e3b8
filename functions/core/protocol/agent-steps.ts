// How Arbiter and agents talk. A step is a signed POST to the agent; the agent answers 200 with
// the result, or 202 and calls back later, signing its callback the same way. The signature is
// HMAC-SHA256 over "<timestamp>.<body>" with the agent's signing secret.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { Identifier } from '../model/inputs.js';

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
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
  };
}

export type SignatureCheck = 'valid' | 'forged' | 'stale';

export function checkSignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  now: Date,
): SignatureCheck {
  const ts = Number(timestamp);
  if (!timestamp || !Number.isInteger(ts) || !signature) return 'forged';
  const expected = Buffer.from(signBody(secret, ts, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
  return Math.abs(now.getTime() / 1000 - ts) > SIGNATURE_TOLERANCE_SECONDS ? 'stale' : 'valid';
}

const JsonObject = z.record(z.string(), z.unknown());

export const StepReportSchema = z.object({
  status: z.enum(['completed', 'failed']),
  result: JsonObject.optional(),
  rollback_data: JsonObject.optional(),
  error: z.string().optional(),
}) satisfies z.ZodType<StepReport>;

/** An agent's callback after answering 202: the report, and the customer, to find the plan by. */
export const StepCallbackSchema = StepReportSchema.extend({ customer_id: Identifier });

export const StepRequestSchema = z.object({
  step_id: z.string().min(1),
  plan_id: z.string().min(1),
  recommendation_id: z.string().min(1),
  customer_id: z.string().min(1),
  action: z.string().min(1),
  mode: z.enum(['execute', 'rollback']),
  parameters: JsonObject,
  rollback_data: JsonObject.optional(),
  callback_url: z.url(),
}) satisfies z.ZodType<StepRequest>;

/** "status: Invalid option…; result: Invalid input…": what a 400 or a StepFailed names. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/**
 * Each dispatch gets its own callback URL: `dispatch` is derived from that dispatch's task token,
 * so a report for an earlier dispatch of the step (the execute answer replayed while its rollback
 * waits, an agent retrying a callback late) never completes the current one.
 */
export function dispatchId(taskToken: string): string {
  return createHash('sha256').update(taskToken).digest('base64url').slice(0, 22);
}

export function callbackUrl(publicUrl: string, stepId: string, taskToken: string): string {
  const url = new URL(
    `coordination/steps/${encodeURIComponent(stepId)}/callback`,
    publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`,
  );
  url.searchParams.set('dispatch', dispatchId(taskToken));
  return url.toString();
}
