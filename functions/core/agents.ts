// Registering an agent: it gets an API key (stored only as a hash) and a signing secret used
// to sign the steps Arbiter dispatches to it and to verify its callbacks.
import { hashKey, newSecret } from './access.js';
import type { Clock, CredentialStore } from './ports.js';
import type { AgentRegistration } from './schemas.js';

export interface RegisteredAgent {
  agent_id: string;
  customer_id: string;
  role: 'agent' | 'orchestrator';
  endpoint_url?: string;
  api_key: string;
  signing_secret: string;
  created_at: string;
}

export async function registerAgent(input: AgentRegistration, deps: { credentials: CredentialStore; clock: Clock }): Promise<RegisteredAgent> {
  const apiKey = newSecret('arb_agent_');
  const signingSecret = newSecret('arb_sign_');
  const createdAt = deps.clock.now().toISOString();
  await deps.credentials.registerAgent(
    { agent_id: input.agent_id, customer_id: input.customer_id, role: input.role, endpoint_url: input.endpoint_url, signing_secret: signingSecret, created_at: createdAt },
    hashKey(apiKey),
  );
  return { agent_id: input.agent_id, customer_id: input.customer_id, role: input.role, endpoint_url: input.endpoint_url, api_key: apiKey, signing_secret: signingSecret, created_at: createdAt };
}
