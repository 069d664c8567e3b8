// A tiny HTTP client for Arbiter's API, for the demo and the e2e tests: JSON in, JSON out,
// the status kept next to the body so callers can show or assert error answers too.

export interface ApiReply<T> {
  status: number;
  body: T;
}

export interface ArbiterClient {
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiReply<T>>;
}

export function arbiterClient(baseUrl: string, apiKey?: string): ArbiterClient {
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<ApiReply<T>> {
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers: {
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json');
      return { status: response.status, body: (isJson && text ? JSON.parse(text) : text) as T };
    },
  };
}

export interface RegisteredAgent {
  agent_id: string;
  customer_id: string;
  api_key: string;
  signing_secret: string;
}

export async function registerAgent(admin: ArbiterClient, agentId: string, customerId: string): Promise<RegisteredAgent> {
  const { status, body } = await admin.call<RegisteredAgent>('POST', '/admin/agents', { agent_id: agentId, customer_id: customerId });
  if (status !== 201) throw new Error(`POST /admin/agents answered ${status}: ${JSON.stringify(body)}`);
  return body;
}
