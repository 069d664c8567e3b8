// What GET /admin/agents/{agent_id} shows: the agent as registered, never its secrets, with its circuit.
import { NotFound } from '../model/errors.js';
import type { AgentRecord } from '../ports/access.js';
import { type CircuitDeps, viewAgentCircuit } from './agent-circuit.js';

type CircuitView = Omit<Awaited<ReturnType<typeof viewAgentCircuit>>, 'agent_id'>;

/** The record as registered, without its secrets (role defaults to agent), and the circuit. */
export type AgentView = Pick<AgentRecord, 'agent_id' | 'customer_id' | 'endpoint_url' | 'created_at'> & {
  role: NonNullable<AgentRecord['role']>;
  circuit: CircuitView;
};

export async function viewAgent(customerId: string, agentId: string, deps: CircuitDeps): Promise<AgentView> {
  // Independent reads: the registration and the circuit.
  const [agent, { agent_id: _id, ...circuit }] = await Promise.all([
    deps.agents.getAgent(customerId, agentId),
    viewAgentCircuit(customerId, agentId, deps),
  ]);
  if (!agent) throw new NotFound(`agent ${agentId} is not registered for customer ${customerId}`);
  const { customer_id, role = 'agent', endpoint_url, created_at } = agent;
  return {
    agent_id: agent.agent_id,
    customer_id,
    role,
    ...(endpoint_url ? { endpoint_url } : {}),
    created_at,
    circuit,
  };
}
