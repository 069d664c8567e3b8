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
  role: 'agent' | 'orchestrator';
  key_id: string;
  api_key: string;
  signing_secret: string;
}

export async function registerAgent(
  admin: ArbiterClient,
  agentId: string,
  customerId: string,
  role: 'agent' | 'orchestrator' = 'agent',
): Promise<RegisteredAgent> {
  const { status, body } = await admin.call<RegisteredAgent>('POST', '/admin/agents', {
    agent_id: agentId,
    customer_id: customerId,
    role,
  });
  if (status !== 201) throw new Error(`POST /admin/agents answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Registers `agentIds` and an orchestrator that may submit for all of them; gives the orchestrator. */
export async function registerOrchestrator(
  admin: ArbiterClient,
  customerId: string,
  agentIds: readonly string[],
  orchestratorId = 'orchestrator',
): Promise<RegisteredAgent> {
  for (const agentId of agentIds) await registerAgent(admin, agentId, customerId);
  return registerAgent(admin, orchestratorId, customerId, 'orchestrator');
}

export interface RegisteredApprover {
  approver_id: string;
  customer_id: string;
  email: string;
  key_id: string;
  api_key: string;
  subscription: string;
}

export async function registerApprover(
  admin: ArbiterClient,
  customerId: string,
  email: string,
): Promise<RegisteredApprover> {
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

/** A message published to the notifications topic, as the local stack's outbox shows it. */
export interface OutboxMessage {
  subject: string;
  attributes: Record<string, string>;
  links: string[];
}

/**
 * The first message in the local outbox (`?approver=` filtered, when given) that `pick` makes
 * something of, waiting for it up to the deadline: the workflow publishes a moment after the API
 * answered. Undefined when the target has no local outbox (a deployed stack emails for real).
 */
async function fromOutbox<T>(
  baseUrl: string,
  query: string,
  what: string,
  pick: (message: OutboxMessage) => T | undefined,
  timeoutMs?: number,
): Promise<T | undefined> {
  const outbox = arbiterClient(baseUrl);
  const path = `/local/outbox${query}`;
  if ((await outbox.call('GET', path)).status === 404) return undefined;
  return eventually(
    what,
    async () => {
      const { body } = await outbox.call<OutboxMessage[]>('GET', path);
      return body.map(pick).find((value) => value !== undefined);
    },
    timeoutMs,
  );
}

/** The review link emailed to an approver for an approval (the workflow's "Request approval" task publishes it). */
export async function emailedReviewLink(
  baseUrl: string,
  approverEmail: string,
  approvalId: string,
  timeoutMs?: number,
): Promise<string | undefined> {
  return fromOutbox(
    baseUrl,
    `?approver=${encodeURIComponent(approverEmail)}`,
    `the approval request for ${approvalId} in ${approverEmail}'s outbox`,
    (message) =>
      message.attributes.approval_id === approvalId
        ? message.links.find((link) =>
            new URL(link).pathname.endsWith(`/approvals/${encodeURIComponent(approvalId)}/review`),
          )
        : undefined,
    timeoutMs,
  );
}

/** The operators' alert about a recommendation whose execution went wrong ("Record outcome" publishes it). */
export async function operatorAlert(
  baseUrl: string,
  customerId: string,
  recommendationId: string,
  timeoutMs?: number,
): Promise<OutboxMessage | undefined> {
  return fromOutbox(
    baseUrl,
    '',
    `the operator alert about ${recommendationId} in the outbox`,
    (message) => {
      const { kind, customer_id, recommendation_id } = message.attributes;
      return kind === 'operator_alert' && customer_id === customerId && recommendation_id === recommendationId
        ? message
        : undefined;
    },
    timeoutMs,
  );
}

/** How long the demo waits for a plan on the simulated agents to end: they answer at once, so seconds are plenty. */
const PLAN_DEADLINE_MS = 30_000;

/**
 * GET /coordination/plans/{id} until the plan has ended (neither pending nor running), every 25 ms
 * up to the deadline. Also says how many reads it took and how long they waited.
 */
export async function endedPlan<T extends { status: string }>(
  client: ArbiterClient,
  planId: string,
  timeoutMs = PLAN_DEADLINE_MS,
): Promise<{ plan: T; reads: number; waitedMs: number }> {
  const started = Date.now();
  let reads = 0;
  const plan = await eventually(
    `plan ${planId} to end`,
    async () => {
      reads += 1;
      const { status, body } = await client.call<T>('GET', `/coordination/plans/${encodeURIComponent(planId)}`);
      if (status !== 200)
        throw new Error(`GET /coordination/plans/${planId} answered ${status}: ${JSON.stringify(body)}`);
      return body.status === 'pending' || body.status === 'running' ? undefined : body;
    },
    timeoutMs,
  );
  return { plan, reads, waitedMs: Date.now() - started };
}
