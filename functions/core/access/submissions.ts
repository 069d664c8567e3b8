// Who may submit what: a plain agent key speaks only for its own agent (in recommendations and in
// explicit steps); an orchestrator key, or the admin key, for any agent registered to the customer.
// Template steps (plans.ts) are Arbiter's own and are not checked here.

import { type FieldIssue, Forbidden, InvalidInput } from '../model/errors.js';
import type { CoordinateRequest } from '../model/inputs.js';
import type { Principal, RegisteredAgents } from '../ports/access.js';

interface NamedAgent {
  field: string;
  agent_id: string;
}

function namedAgents(request: CoordinateRequest): NamedAgent[] {
  return request.recommendations.flatMap((rec, i) => [
    { field: `recommendations[${i}].agent_id`, agent_id: rec.agent_id },
    ...(rec.steps ?? []).flatMap((step, j) =>
      step.agent_id === undefined
        ? []
        : [{ field: `recommendations[${i}].steps[${j}].agent_id`, agent_id: step.agent_id }],
    ),
  ]);
}

export async function authorizeSubmission(
  principal: Principal,
  request: CoordinateRequest,
  agents: RegisteredAgents,
): Promise<void> {
  const named = namedAgents(request);
  if (principal.role === 'agent' && !principal.orchestrator) {
    const foreign = named.filter((n) => n.agent_id !== principal.agent_id);
    if (foreign.length > 0) {
      const named = foreign
        .slice(0, 5)
        .map((f) => `${f.field} is ${f.agent_id}`)
        .join(', ');
      throw new Forbidden(
        `this key acts for agent ${principal.agent_id} only: ${named}${foreign.length > 5 ? ', …' : ''}`,
        foreign.map(({ field }) => ({ field, message: `must be ${principal.agent_id}, the key's own agent` })),
      );
    }
    return;
  }
  const registered = await agents.registeredAgents(request.customer_id, [...new Set(named.map((n) => n.agent_id))]);
  const unknown: FieldIssue[] = named
    .filter((n) => !registered.has(n.agent_id))
    .map(({ field, agent_id }) => ({
      field,
      message: `agent ${agent_id} is not registered for customer ${request.customer_id}`,
    }));
  if (unknown.length > 0)
    throw new InvalidInput(`unregistered agents: ${unknown.map((u) => u.field).join(', ')}`, unknown);
}
