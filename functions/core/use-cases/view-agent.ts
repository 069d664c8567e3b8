// What GET /admin/agents/{agent_id} shows: the agent as registered, never its secrets, with its circuit.
import { NotFound } from '../model/errors.js';
import type { Circuit } from '../ports/agent-circuits.js';
import { type CircuitDeps, viewAgentCircuit } from './agent-circuit.js';

export interface AgentView {
  agent_id: string;
  customer_id: string;
  role: 'agent' | 'orchestrator';
  endpoint_url?: string;
  created_at: string;
  circuit: Circuit & { cool_down_ends_at?: string };
}

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
