// GET /local/agents: what the simulated agents were asked and what they answered, newest last.
import type { LocalRoute } from '../gateway.js';
import type { AgentRequestRecord } from './index.js';

export const AGENTS_PATH = '/local/agents';

export function agentRoutes(agents: { requests: readonly AgentRequestRecord[] }): LocalRoute[] {
  return [
    {
      method: 'GET',
      path: AGENTS_PATH,
      serve: () => ({
        statusCode: 200,
        headers: { 'cache-control': 'no-store' },
        body: JSON.stringify(agents.requests),
      }),
    },
  ];
}
