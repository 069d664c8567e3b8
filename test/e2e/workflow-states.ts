// What the e2e tests of the workflow's waits read: the states a recommendation's execution entered,
// and the circuit breaker alerts of a customer in the outbox.
import { executionName } from '../../functions/core/ports/workflow.js';
import type { OutboxMessage } from '../../local/sns/index.js';
import type { LocalStack } from '../../local/stack.js';

/** The names of the states the recommendation's execution entered so far, in order. */
export function statesEntered(stack: LocalStack, customerId: string, id: string): string[] {
  const { executions } = stack.stepFunctions;
  const execution = executions.find(executions.executionArn(executionName(customerId, id)));
  return (execution?.history ?? []).flatMap((e) => {
    const name = (e as { stateEnteredEventDetails?: { name?: string } }).stateEnteredEventDetails?.name;
    return name ? [name] : [];
  });
}

/** The customer's circuit alerts ("open", "closed"), oldest first. */
export async function circuitAlerts(stack: LocalStack, customerId: string): Promise<string[]> {
  const messages = (await (await fetch(stack.outboxUrl)).json()) as OutboxMessage[];
  return messages
    .filter((m) => m.attributes.kind === 'operator_alert' && m.attributes.customer_id === customerId)
    .flatMap((m) => (m.attributes.circuit === undefined ? [] : [m.attributes.circuit]));
}
