// Plans run by the real workflow on the local stack: the real ASL and task handlers, DynamoDB
// Local and the simulated agents. A customer's agent coordinates over HTTP; tests then read what
// the API, the agents' request log, the outbox and the execution say.
import { expect } from 'vitest';
import type { z } from 'zod';
import type { StepInput } from '../../functions/core/model/inputs.js';
import type { CoordinationResponse, ExecutionPlan } from '../../functions/core/model/records.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import { arbiterClient, eventually } from '../../local/arbiter-client.js';
import type { OutboxMessage } from '../../local/sns/index.js';
import type { LocalStack } from '../../local/stack.js';
import { type Customer, type RecommendationView, recommendation, workflowEnd } from '../e2e/approval-setup.js';
import { rec } from './fixtures.js';
import { stackForFile, startTestStack } from './local-stack.js';

export { type Customer, newCustomer, recommendation } from '../e2e/approval-setup.js';

/**
 * The execution stack of this test file (see stackForFile): retries at once; otherwise the real ASL unchanged
 * (a dependent is woken when its dependency ends, no poll to shorten).
 */
export const executionStackForFile = (): LocalStack =>
  stackForFile(() => startTestStack({ stepFunctions: { retryIntervalOverrides: 0 } }));

/** Sets the customer's policy with the admin key (PUT /admin/customers/{id}/policy): it must be accepted. */
export async function setPolicy(stack: LocalStack, customer: Customer, policy: Record<string, unknown>): Promise<void> {
  const admin = arbiterClient(stack.url, stack.adminKey);
  const reply = await admin.call('PUT', `/admin/customers/${encodeURIComponent(customer.id)}/policy`, policy);
  expect(reply.status).toBe(200);
}

/** A recommendation as an agent sends it: explicit steps may leave out what has defaults. */
type Fields = Omit<Parameters<typeof rec>[0], 'steps'> & { steps?: z.input<typeof StepInput>[] };

/** Coordinates low-risk recommendations with auto_approve: approved by policy, their plans start at once or (execute_now false) when asked for. */
export async function coordinateApproved(
  customer: Customer,
  recommendations: Fields[],
  executeNow: boolean,
): Promise<CoordinationResponse> {
  const reply = await customer.agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
    customer_id: customer.id,
    recommendations: recommendations.map((fields) =>
      rec({ ...fields, customer_id: customer.id } as Parameters<typeof rec>[0]),
    ),
    auto_approve: true,
    execute_now: executeNow,
  });
  expect(reply.status).toBe(200);
  expect(reply.body.recommendations.map((r) => r.id)).toEqual(expect.arrayContaining(recommendations.map((r) => r.id)));
  return reply.body;
}

export const executeNow = (customer: Customer, recommendations: Fields[]) =>
  coordinateApproved(customer, recommendations, true);

/** A migrate_to_spot recommendation (take_snapshot, migrate_workload, validate_quality) with a simulation for the agents. */
export function spotMigration(
  id: string,
  simulate: Record<string, unknown> = {},
  fields: Partial<Fields> = {},
): Fields {
  return { id, action: 'migrate_to_spot', affected_resources: [`i-${id}`], parameters: { simulate }, ...fields };
}

export interface Finished {
  status: string;
  lastState: string | undefined;
  view: RecommendationView;
  plan: ExecutionPlan;
}

/** Waits for the recommendation's execution to end; gives how it ended and the recommendation with its plan as the API shows them. */
export async function finished(
  stack: LocalStack,
  customer: Customer,
  id: string,
  timeoutMs?: number,
): Promise<Finished> {
  if (timeoutMs) {
    // A wait longer than workflowEnd's: for plans that wait on purpose (max_wait_seconds).
    const { executions } = stack.stepFunctions;
    const arn = executions.executionArn(executionName(customer.id, id));
    await eventually(
      `the workflow of ${id} to end`,
      async () => (executions.find(arn)?.status !== 'RUNNING' && executions.find(arn) ? true : undefined),
      timeoutMs,
    );
  }
  const end = await workflowEnd(stack, customer.id, id);
  const view = await recommendation(customer, id);
  expect(view.plan).not.toBeNull();
  return { ...end, view, plan: view.plan! };
}

/** What the simulated agents were asked for this plan, in order: "execute take_snapshot", "rollback take_snapshot"... */
export function agentCalls(stack: LocalStack, planId: string): string[] {
  return stack.agents.requests.filter((r) => r.step_id.startsWith(`${planId}-s`)).map((r) => `${r.mode} ${r.action}`);
}

/** The operator alerts about a recommendation in the local outbox, read over HTTP. */
export async function operatorAlerts(stack: LocalStack, recommendationId: string): Promise<OutboxMessage[]> {
  const messages = (await (await fetch(stack.outboxUrl)).json()) as OutboxMessage[];
  return messages.filter(
    (m) => m.attributes.kind === 'operator_alert' && m.attributes.recommendation_id === recommendationId,
  );
}

/** Each step's action and status. */
export function stepStatuses(plan: ExecutionPlan): string[] {
  return plan.steps.map((s) => `${s.action}: ${s.status}`);
}
