// Approvals end to end on the local stack: a fresh customer with an agent and approvers, a risky
// recommendation coordinated, the review link emailed for it, the recommendation as the API shows
// it, and what its workflow did.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Approval } from '../../functions/core/model/records.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import type { RecommendationView } from '../../functions/core/use-cases/view-recommendation.js';
import {
  type ArbiterClient,
  arbiterClient,
  emailedReviewLink,
  eventually,
  type RegisteredApprover,
  registerAgent,
  registerApprover,
} from '../../local/arbiter-client.js';
import { SEED_AGENTS } from '../../local/seed-scenarios.js';
import type { LocalStack } from '../../local/stack.js';
import type { Execution } from '../../local/step-functions/index.js';
import { rec } from '../support/fixtures.js';

export interface Approver extends RegisteredApprover {
  /** The API as this approver (their own key). */
  client: ArbiterClient;
}

export interface Customer {
  id: string;
  agent: ArbiterClient;
  approvers: Approver[];
}

/**
 * Approvers are registered first: the approval emails go to those registered when they are sent.
 * Their emails are unique to the customer: registering an email that another customer's approver
 * already has fails (500) while its SNS subscription carries the other approver's filter.
 */
export async function newCustomer(stack: LocalStack, approvers: number | readonly string[] = 1): Promise<Customer> {
  const id = `e2e-${randomUUID().slice(0, 8)}`;
  const admin = arbiterClient(stack.url, stack.adminKey);
  // The seed's batches name three agents: cost-agent-1 submits them all, as the customer's orchestrator.
  const agent = await registerAgent(admin, 'cost-agent-1', id, 'orchestrator');
  for (const other of SEED_AGENTS.filter((a) => a !== 'cost-agent-1')) await registerAgent(admin, other, id);
  const emails =
    typeof approvers === 'number'
      ? Array.from({ length: approvers }, (_, i) => `approver-${i + 1}@${id}.example.com`)
      : approvers;
  const registered = await Promise.all(emails.map((email) => registerApprover(admin, id, email)));
  return {
    id,
    agent: arbiterClient(stack.url, agent.api_key),
    approvers: registered.map((a) => ({ ...a, client: arbiterClient(stack.url, a.api_key) })),
  };
}

/** Coordinates one recommendation that needs approval (medium risk unless said); gives its approval's id. */
export async function coordinateRisky(customer: Customer, fields: Parameters<typeof rec>[0]): Promise<string> {
  const recommendation = rec({ risk_level: 'medium', ...fields, customer_id: customer.id });
  const reply = await customer.agent.call<{ approvals: Approval[] }>('POST', '/coordination/coordinate', {
    customer_id: customer.id,
    recommendations: [recommendation],
    auto_approve: false,
    execute_now: false,
  });
  expect(reply.status).toBe(200);
  expect(reply.body.approvals).toEqual([expect.objectContaining({ recommendation_id: fields.id, status: 'pending' })]);
  return reply.body.approvals[0].id;
}

export type { RecommendationView };

export async function recommendation(customer: Customer, id: string): Promise<RecommendationView> {
  const reply = await customer.agent.call<RecommendationView>('GET', `/coordination/recommendations/${id}`);
  expect(reply.status).toBe(200);
  return reply.body;
}

/** Waits for the recommendation to reach a status (decisions are applied before the answer, but the workflow follows). */
export function recommendationWhen(customer: Customer, id: string, status: string): Promise<RecommendationView> {
  return eventually(`${id} to be ${status}`, async () => {
    const view = await recommendation(customer, id);
    return view.status === status ? view : undefined;
  });
}

/** The link the approver's email carries, once the workflow's "Request approval" task has sent it. */
export async function reviewLink(stack: LocalStack, approver: Approver, approvalId: string): Promise<string> {
  const link = await emailedReviewLink(stack.url, approver.email, approvalId);
  if (!link) throw new Error('the local stack has no outbox');
  return link;
}

/** What the workflow of an approved recommendation went through, up to "Approved". */
export const APPROVED_PATH = ['Needs approval?', 'Request approval', 'Approved'];

/** The recommendation's execution in the local Step Functions, once its states include `state`. */
async function executionAt(
  stack: LocalStack,
  customerId: string,
  recommendationId: string,
  holds: (execution: Execution) => boolean,
  what: string,
): Promise<Execution> {
  const { executions } = stack.stepFunctions;
  const arn = executions.executionArn(executionName(customerId, recommendationId));
  return eventually(`the workflow of ${recommendationId} ${what}`, async () => {
    const found = executions.find(arn);
    return found && holds(found) ? found : undefined;
  });
}

function statesEntered(execution: Execution): string[] {
  return execution.history.flatMap((event) => {
    const details = event.stateEnteredEventDetails as { name: string } | undefined;
    return details ? [details.name] : [];
  });
}

/** The states the recommendation's workflow went through to reach `state` (it may go on: approved plans wait to be executed). */
export async function workflowPathTo(
  stack: LocalStack,
  customerId: string,
  recommendationId: string,
  state: string,
): Promise<string[]> {
  const execution = await executionAt(
    stack,
    customerId,
    recommendationId,
    (e) => statesEntered(e).includes(state),
    `to reach "${state}"`,
  );
  const states = statesEntered(execution);
  return states.slice(0, states.indexOf(state) + 1);
}

/** How the recommendation's workflow ended, once it did. */
export async function workflowEnd(
  stack: LocalStack,
  customerId: string,
  recommendationId: string,
): Promise<{ status: string; lastState: string | undefined }> {
  const execution = await executionAt(stack, customerId, recommendationId, (e) => e.status !== 'RUNNING', 'to end');
  return { status: execution.status, lastState: statesEntered(execution).at(-1) };
}
