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

export interface RegisteredApprover {
  approver_id: string;
  customer_id: string;
  email: string;
  api_key: string;
  subscription: string;
}

export async function registerApprover(admin: ArbiterClient, customerId: string, email: string): Promise<RegisteredApprover> {
  const path = `/admin/customers/${encodeURIComponent(customerId)}/approvers`;
  const { status, body } = await admin.call<RegisteredApprover>('POST', path, { email });
  if (status !== 201) throw new Error(`POST ${path} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Asks `read` again every 25 ms until it gives something other than undefined; throws after the
 * deadline, saying what it waited for. For what Arbiter does asynchronously (emails, workflows).
 */
export async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface OutboxMessage {
  attributes: Record<string, string>;
  links: string[];
}

/**
 * The review link emailed to an approver for an approval, from the local stack's outbox (the
 * workflow's "Request approval" task publishes it a moment after the coordination answered).
 * Undefined when the target has no local outbox (a deployed stack emails for real).
 */
export async function emailedReviewLink(baseUrl: string, approverEmail: string, approvalId: string, timeoutMs?: number): Promise<string | undefined> {
  const outbox = arbiterClient(baseUrl);
  const path = `/local/outbox?approver=${encodeURIComponent(approverEmail)}`;
  if ((await outbox.call('GET', path)).status === 404) return undefined;
  return eventually(`the approval request for ${approvalId} in ${approverEmail}'s outbox`, async () => {
    const { body } = await outbox.call<OutboxMessage[]>('GET', path);
    const message = body.find((m) => m.attributes.approval_id === approvalId);
    return message?.links.find((link) => new URL(link).pathname.endsWith(`/approvals/${encodeURIComponent(approvalId)}/review`));
  }, timeoutMs);
}
