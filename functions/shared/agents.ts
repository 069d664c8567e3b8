// Reaching agents: the signed HTTP client, where each agent's steps go (locally, agents registered
// without an endpoint are served by the simulated agents), and the API's URL for their callbacks.
import { HttpAgentClient, resolveAgentTarget, simulatedAgents } from '../adapters/agent-client.js';
import type { AgentRecord } from '../core/ports/index.js';
import { metrics } from './metrics.js';
import { config, once, required } from './runtime.js';

export const agentClient = once(() => new HttpAgentClient({ metrics }));

const simulated = once(() => simulatedAgents(config()));

export const resolveTarget = (agent: AgentRecord | undefined) => resolveAgentTarget(agent, simulated());

export const publicUrl = () => required('PUBLIC_API_URL');
