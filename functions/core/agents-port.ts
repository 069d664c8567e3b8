// How the core dispatches a plan step to an agent (functions/adapters/agent-client.ts does it over
// HTTP), the errors that tell the workflow whether retrying can help, and the shapes of what
// crosses the wire, checked wherever it arrives: an agent's 200 answer, its callback, a request.
import { z } from 'zod';
import type { StepReport, StepRequest } from './agent-protocol.js';
import { Identifier } from './schemas.js';

export interface AgentTarget {
  endpoint: string;
  secret: string;
  /** The local stack's simulated agents, standing in for an agent that has no endpoint. */
  simulated: boolean;
}

/** The agent's answer: its report now (200), or a promise to call back with it (202). */
export type Dispatch = { kind: 'reported'; report: StepReport } | { kind: 'accepted' };

export interface AgentClient {
  send(target: AgentTarget, request: StepRequest, timeoutMs: number): Promise<Dispatch>;
}

// The workflow's ASL matches these names: it retries StepTransientError and catches anything else
// as a failed step. Renaming either silently changes what is retried.

/**
 * The agent refused the step or answered something unusable (4xx, a redirect, a malformed report):
 * the same request would fail again. A 200 report with status `failed` is not this: it is a report.
 */
export class StepFailed extends Error {
  override name = 'StepFailed';
}

/** The agent could not answer now (5xx, 429, unreachable, too slow): worth retrying. */
export class StepTransientError extends Error {
  override name = 'StepTransientError';
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
export type StepCallback = z.infer<typeof StepCallbackSchema>;

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
