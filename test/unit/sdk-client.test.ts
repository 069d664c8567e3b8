// ArbiterClient's wire format: every route of the API has a method that reaches it (checked
// against the route table the gateway and the CDK are built from, so a new route without a method
// fails here), ids are encoded, a stage path is kept, and refusals become ArbiterErrors carrying
// Arbiter's message and fields.
import { ArbiterClient, ArbiterError } from 'arbiter/client';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/shared/routes.js';

interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body?: string;
}

/** A fetch that records the request and answers `answer`. */
function recording(answer: () => Response = () => Response.json({})) {
  const sent: Sent[] = [];
  const fetchStub = (async (input: URL | string, init?: RequestInit) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body: init?.body as string | undefined,
    });
    return answer();
  }) as typeof fetch;
  return { sent, fetch: fetchStub };
}

/** `/coordination/plans/{id}` as a pattern matching `/coordination/plans/p-1`. */
const patternOf = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);

const signed = { approver: 'a@example.com', expires: 1_900_000_000, sig: 'abc' };
const report = { status: 'completed' as const, customer_id: 'c-1' };

/** Calls every method once. */
async function callEverything(client: ArbiterClient): Promise<void> {
  await client.registerAgent({ agent_id: 'a-1', customer_id: 'c-1' });
  await client.getAgent('a-1', 'c-1');
  await client.rotateAgentKey('a-1', 'c-1', { grace_seconds: 60 });
  await client.revokeAgentKey('a-1', 'k-1', 'c-1');
  await client.addApprover('c-1', { email: 'a@example.com' });
  await client.rotateApproverKey('c-1', 'ap-1');
  await client.revokeApproverKey('c-1', 'ap-1', 'k-1');
  await client.getPolicy('c-1');
  await client.setPolicy('c-1', { max_concurrent_executions: 3 });
  await client.coordinate({ customer_id: 'c-1', recommendations: [] });
  await client.listConflicts('co-1', { limit: 10 });
  await client.listRecommendations({ status: 'approved' });
  await client.getRecommendation('r-1');
  await client.cancel('r-1', 'no longer needed');
  await client.getPlan('p-1');
  await client.executePlan('p-1', { customer_id: 'c-1' });
  await client.sendStepCallback('p-1-s1', 'd-1', report, 'arb_sign_secret_for_test');
  await client.listApprovals();
  await client.approve('ap-1', { user_id: 'a@example.com' });
  await client.reject('ap-1', { user_id: 'a@example.com', reason: 'no' });
  await client.reviewPage('ap-1', signed);
  await client.decideByLink('ap-1', { ...signed, decision: 'approve' });
  await client.health();
  await client.openApi();
  await client.docsPage();
}

/** The docs page's scripts and styles: the browser fetches them, no client needs a method for them. */
const BROWSER_ONLY = ['GET /docs/{asset}'];

describe('ArbiterClient', () => {
  it('has a method for every route in functions/shared/routes.ts, each reaching its route', async () => {
    const { sent, fetch } = recording();
    await callEverything(new ArbiterClient('http://127.0.0.1:3000', 'arb_key', { fetch }));
    const reached = sent.map((s) => {
      const route = ROUTES.find((r) => r.method === s.method && patternOf(r.path).test(s.url.pathname));
      return route ? `${route.method} ${route.path}` : `unknown: ${s.method} ${s.url.pathname}`;
    });
    const routes = ROUTES.map((r) => `${r.method} ${r.path}`).filter((r) => !BROWSER_ONLY.includes(r));
    expect(new Set(reached)).toEqual(new Set(routes));
  });

  it('sends the key as a Bearer token, JSON bodies, query options, and the review decision as a form', async () => {
    const { sent, fetch } = recording();
    const client = new ArbiterClient('http://127.0.0.1:3000', 'arb_agent_key', { fetch });
    await client.listRecommendations({ status: 'approved', limit: 5, next: undefined });
    await client.approve('ap-1', { user_id: 'a@example.com' });
    await client.decideByLink('ap-1', { ...signed, decision: 'reject', reason: 'not now' });
    expect(sent[0].url.search).toBe('?status=approved&limit=5');
    expect(sent[0].headers.get('authorization')).toBe('Bearer arb_agent_key');
    expect([sent[1].headers.get('content-type'), JSON.parse(sent[1].body!)]).toEqual([
      'application/json',
      { user_id: 'a@example.com' },
    ]);
    expect(sent[2].headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent[2].body))).toEqual({
      approver: 'a@example.com',
      expires: '1900000000',
      sig: 'abc',
      decision: 'reject',
      reason: 'not now',
    });
  });

  it('keeps a deployed stage path and encodes ids', async () => {
    const { sent, fetch } = recording();
    const client = new ArbiterClient('https://abc.execute-api.eu-west-1.amazonaws.com/prod', undefined, { fetch });
    await client.getRecommendation('rec/../1 x');
    expect(sent[0].url.pathname).toBe('/prod/coordination/recommendations/rec%2F..%2F1%20x');
    expect(sent[0].headers.has('authorization')).toBe(false);
  });

  it('throws an ArbiterError with the status, the message, every named field and Retry-After', async () => {
    const details = [
      { field: 'recommendations[0].risk_level', message: 'Invalid option' },
      { field: 'customer_id', message: 'required' },
    ];
    const { fetch } = recording(() => Response.json({ error: 'invalid body', details }, { status: 400 }));
    const error = await new ArbiterClient('http://127.0.0.1:3000', 'k', { fetch })
      .coordinate({ customer_id: '', recommendations: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArbiterError);
    expect(error).toMatchObject({ status: 400, kind: 'invalid_input', error: 'invalid body', details });
    expect((error as ArbiterError).fields).toEqual([
      'recommendations[0].risk_level: Invalid option',
      'customer_id: required',
    ]);
    expect((error as Error).message).toBe(
      'POST /coordination/coordinate answered 400: invalid body (recommendations[0].risk_level: Invalid option; customer_id: required)',
    );

    const busy = recording(
      () => new Response(JSON.stringify({ error: 'busy' }), { status: 429, headers: { 'retry-after': '1' } }),
    );
    const throttled = await new ArbiterClient('http://h', 'k', { fetch: busy.fetch }).getPlan('p').catch((e) => e);
    expect(throttled).toMatchObject({ status: 429, kind: 'throttled', retryAfterSeconds: 1, details: [] });

    const gateway = recording(() => new Response('Bad Gateway', { status: 502 }));
    const bad = await new ArbiterClient('http://h', 'k', { fetch: gateway.fetch }).getPlan('p').catch((e) => e);
    expect(bad).toMatchObject({ status: 502, kind: 'unavailable', error: 'Bad Gateway' });
  });

  it('reads /health also when it answers 503', async () => {
    const body = { status: 'unhealthy', components: {} };
    const { fetch } = recording(() => Response.json(body, { status: 503 }));
    expect(await new ArbiterClient('http://h', undefined, { fetch }).health()).toEqual(body);
  });
});
