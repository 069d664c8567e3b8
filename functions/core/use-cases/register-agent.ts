// Registering an agent: it gets an API key (stored only as a hash) and a signing secret used
// to sign the steps Arbiter dispatches to it and to verify its callbacks.

import { issueKey } from '../access/api-keys.js';
import { newSecret } from '../access/principals.js';
import type { AgentRegistration } from '../model/inputs.js';
import type { Clock } from '../ports/clock.js';
import type { CredentialStore } from '../ports/index.js';

export interface RegisteredAgent {
  agent_id: string;
  customer_id: string;
  role: 'agent' | 'orchestrator';
  endpoint_url?: string;
  /** Names the key for revocation (DELETE /admin/agents/{agent_id}/keys/{key_id}). */
  key_id: string;
  api_key: string;
  signing_secret: string;
  created_at: string;
}

export async function registerAgent(
  input: AgentRegistration,
  deps: { credentials: CredentialStore; clock: Clock },
): Promise<RegisteredAgent> {
  const now = deps.clock.now();
  const { apiKey, issued } = issueKey('arb_agent_', now);
  const signingSecret = newSecret('arb_sign_');
  const createdAt = now.toISOString();
  await deps.credentials.registerAgent(
    {
      agent_id: input.agent_id,
      customer_id: input.customer_id,
      role: input.role,
      endpoint_url: input.endpoint_url,
      signing_secret: signingSecret,
      created_at: createdAt,
    },
    issued,
  );
  return {
    agent_id: input.agent_id,
    customer_id: input.customer_id,
    role: input.role,
    endpoint_url: input.endpoint_url,
    key_id: issued.key_id,
    api_key: apiKey,
    signing_secret: signingSecret,
    created_at: createdAt,
  };
}
