// The local gateway as a handler sees it: routing, API Gateway's own answers (404, 405, 413, 502,
// 504), and the v1 proxy event and Lambda context it builds. Fake handlers echo what they got.
import { request as httpRequest } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerName } from '../../functions/shared/routes.js';
import {
  type Gateway,
  type GatewayOptions,
  type LambdaHandler,
  type LambdaRoute,
  lambdaRoutes,
  MAX_PAYLOAD_BYTES,
  startGateway,
} from '../../local/gateway.js';

interface Seen {
  event: APIGatewayProxyEvent;
  context: { functionName: string; awsRequestId: string; remainingMs: number };
}

const echo: LambdaHandler = async (event: APIGatewayProxyEvent, context: Context) => ({
  statusCode: 200,
  body: JSON.stringify({
    event,
    context: {
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
      remainingMs: context.getRemainingTimeInMillis(),
    },
  }),
});

function fake(method: string, path: string, handler: LambdaHandler): LambdaRoute {
  return { method, path, functionName: `arbiter-${path.split('/')[1]}`, load: async () => handler };
}

const routes: LambdaRoute[] = [
  fake('GET', '/things/{id}', echo),
  fake('POST', '/things/{id}', echo),
  fake('GET', '/things/search', async () => ({ statusCode: 200, body: '"search"' })),
  fake('GET', '/things/{id}/parts/{part}', echo),
  fake('GET', '/boom', async () => {
    throw new Error('handler bug');
  }),
  fake('GET', '/malformed', async () => ({ body: 'no status code' }) as unknown as APIGatewayProxyResult),
  fake('GET', '/never', () => new Promise<APIGatewayProxyResult>(() => {})),
  fake('GET', '/binary', async () => ({
    statusCode: 201,
    headers: { 'Content-Type': 'application/octet-stream', 'X-Single': 'overridden' },
    multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'X-Single': ['from-multi'] },
    body: Buffer.from([0, 255, 1]).toString('base64'),
    isBase64Encoded: true,
  })),
];

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    routes,
    extraRoutes: [
      {
        method: 'GET',
        path: '/local/ping/{name}',
        serve: (req) => ({
          statusCode: 200,
          body: JSON.stringify({ hello: req.pathParameters.name, q: req.query.get('q') }),
        }),
      },
    ],
    quiet: true,
  });
});
afterAll(() => gateway?.close());

/** A second gateway with other options, for one test. */
async function withGateway(options: Omit<GatewayOptions, 'port'>, use: (url: string) => Promise<void>): Promise<void> {
  const other = await startGateway({ port: 0, quiet: true, ...options });
  try {
    await use(other.url);
  } finally {
    await other.close();
  }
}

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http rather than fetch: fetch lower-cases header names, and the point is to see them as sent. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
  body?: Buffer | string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, gateway.url), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function seen(
  method: string,
  path: string,
  headers?: Record<string, string | string[]>,
  body?: Buffer | string,
): Promise<Seen & { reply: RawReply }> {
  const reply = await raw(method, path, headers, body);
  expect(reply.status).toBe(200);
  return { ...(JSON.parse(reply.body.toString()) as Seen), reply };
}

const json = (reply: RawReply) => JSON.parse(reply.body.toString()) as unknown;

describe('routing', () => {
  it('decodes path parameters and keeps the path as requested', async () => {
    const { event } = await seen('GET', '/things/a%20b%2Fc/parts/p-1');
    expect(event).toMatchObject({
      resource: '/things/{id}/parts/{part}',
      path: '/things/a%20b%2Fc/parts/p-1',
      pathParameters: { id: 'a b/c', part: 'p-1' },
    });
  });

  it('prefers a literal resource over a parameter, and ignores a trailing slash', async () => {
    expect(json(await raw('GET', '/things/search/'))).toBe('search');
    expect((await seen('GET', '/things/other/')).event.pathParameters).toEqual({ id: 'other' });
  });

  it('answers an unknown path with 404 and a known path with another method with 405 and Allow', async () => {
    const unknown = await raw('GET', '/nowhere');
    expect(unknown.status).toBe(404);
    expect(json(unknown)).toEqual({ error: 'No route for /nowhere' });

    const wrongMethod = await raw('DELETE', '/things/1');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, POST');
    expect(json(wrongMethod)).toMatchObject({ error: expect.any(String) });
  });

  it('answers a path that does not decode with 400', async () => {
    const reply = await raw('GET', '/things/%E0%A4%A');
    expect(reply.status).toBe(400);
    expect(json(reply)).toEqual({ error: 'Malformed request path' });
  });

  it('routes the shared ROUTES by method and path without loading a handler', async () => {
    await withGateway({}, async (url) => {
      const reply = await fetch(`${url}/coordination/coordinate`);
      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toBe('POST');
      expect((await fetch(`${url}/coordination/nothing`)).status).toBe(404);
    });
  });

  it('serves local-only routes with plain functions', async () => {
    const reply = await raw('GET', '/local/ping/ana?q=1');
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual({ hello: 'ana', q: '1' });
  });
});

describe('the proxy event', () => {
  it('passes header names as sent, the last value single and all values multi', async () => {
    const { event } = await seen('GET', '/things/1', { 'X-Custom-Header': 'a', 'x-multi': ['1', '2'] });
    expect(event.headers['X-Custom-Header']).toBe('a');
    expect(event.headers['x-multi']).toBe('2');
    expect(event.multiValueHeaders['x-multi']).toEqual(['1', '2']);
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
  });

  it('has null query parameters when there are none, decoded ones otherwise', async () => {
    const none = await seen('GET', '/things/1');
    expect(none.event.queryStringParameters).toBeNull();
    expect(none.event.multiValueQueryStringParameters).toBeNull();

    const some = await seen('GET', '/things/1?a=1&a=2&b=x%20y&flag');
    expect(some.event.queryStringParameters).toEqual({ a: '2', b: 'x y', flag: '' });
    expect(some.event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['x y'], flag: [''] });
  });

  it('passes a text body as UTF-8, a binary one in base64, and no body as null', async () => {
    const text = await seen('POST', '/things/1', { 'Content-Type': 'application/json; charset=utf-8' }, '{"name":"é"}');
    expect(text.event).toMatchObject({ body: '{"name":"é"}', isBase64Encoded: false });

    const binary = await seen(
      'POST',
      '/things/1',
      { 'Content-Type': 'application/octet-stream' },
      Buffer.from([0, 255, 1]),
    );
    expect(binary.event).toMatchObject({ body: 'AP8B', isBase64Encoded: true });

    const empty = await seen('POST', '/things/1');
    expect(empty.event).toMatchObject({ body: null, isBase64Encoded: false, pathParameters: { id: '1' } });
  });

  it('carries the request context and a Lambda context named after the function', async () => {
    const { event, context, reply } = await seen('POST', '/things/7', { 'User-Agent': 'vitest' }, 'x');
    expect(event.httpMethod).toBe('POST');
    expect(event.requestContext).toMatchObject({
      stage: 'local',
      httpMethod: 'POST',
      path: '/local/things/7',
      resourcePath: '/things/{id}',
      requestId: reply.headers['x-amzn-requestid'],
      identity: { sourceIp: '127.0.0.1', userAgent: 'vitest' },
    });
    expect(event.requestContext.requestTimeEpoch).toBeGreaterThan(0);
    expect(context.functionName).toBe('arbiter-things');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remainingMs).toBeGreaterThan(0);
    expect(context.remainingMs).toBeLessThanOrEqual(29_000);
  });
});

describe("API Gateway's own answers", () => {
  it('writes the result: status, merged headers (multi-value wins), base64 body decoded', async () => {
    const reply = await raw('GET', '/binary');
    expect(reply.status).toBe(201);
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(reply.headers['x-single']).toBe('from-multi');
    expect([...reply.body]).toEqual([0, 255, 1]);
  });

  it('turns a throwing handler or a malformed result into 502', async () => {
    for (const path of ['/boom', '/malformed']) {
      const reply = await raw('GET', path);
      expect(reply.status).toBe(502);
      expect(json(reply)).toEqual({ error: 'Internal server error' });
    }
  });

  it('answers 502 when a named handler does not exist', async () => {
    const routes = lambdaRoutes([{ method: 'GET', path: '/missing', handler: 'no-such-handler' as HandlerName }]);
    await withGateway({ routes }, async (url) => {
      const reply = await fetch(`${url}/missing`);
      expect(reply.status).toBe(502);
      expect(await reply.json()).toEqual({ error: 'Internal server error' });
    });
  });

  it('times a handler out with 504', async () => {
    await withGateway({ routes, timeoutMs: 50 }, async (url) => {
      const reply = await fetch(`${url}/never`);
      expect(reply.status).toBe(504);
      expect(await reply.json()).toEqual({ error: 'Endpoint request timed out' });
    });
  });

  it('refuses a payload over 10 MB with 413 before the handler', async () => {
    const reply = await raw(
      'POST',
      '/things/1',
      { 'Content-Type': 'application/json' },
      Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32),
    );
    expect(reply.status).toBe(413);
    expect(json(reply)).toEqual({ error: 'Request too large' });
  });
});
