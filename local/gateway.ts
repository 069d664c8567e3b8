// The local stand-in for API Gateway: routes HTTP requests to the same Lambda handlers, enforcing
// what API Gateway enforces before and around a Lambda (routing, payload limit, integration
// timeout, 502 for a failed or malformed invocation). Local-only pages are plain functions.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ROUTES, type Route } from '../functions/shared/routes.js';
import { loadHandler } from './handlers.js';
import { htmlDocument, pageHeaders } from './html.js';
import { asFunction, type Invocation, logInvocation } from './local-log.js';
import { describeResult, redactUrl } from './log-redaction.js';
import { type InvocationProfile, profileInvocation } from './profiling.js';
import {
  buildLambdaContext,
  buildProxyEvent,
  errorReply,
  type HttpReply,
  INTEGRATION_TIMEOUT_MS,
  isProxyResult,
  replyFromResult,
} from './proxy-event.js';
import { createRouter } from './routing.js';

/** API Gateway's own payload limit; the handlers enforce the API's 256 KiB themselves. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/**
 * Lambda's limit on a synchronous invocation's response, the whole proxy result as JSON ("Response
 * payload size exceeded maximum allowed payload size (6291556 bytes)"): API Gateway then answers 502.
 */
export const MAX_LAMBDA_RESPONSE_BYTES = 6_291_556;
/** Host names the gateway answers to: a page elsewhere cannot reach it by DNS rebinding. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface LambdaRoute {
  method: string;
  path: string;
  functionName: string;
  load(): Promise<LambdaHandler>;
}

export interface LocalRequest {
  method: string;
  path: string;
  pathParameters: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface LocalResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** A local-only endpoint (`/local/outbox`, `/local/console`): no Lambda, no event. */
export interface LocalRoute {
  method: string;
  path: string;
  serve(request: LocalRequest): LocalResponse | Promise<LocalResponse>;
}

export interface GatewayOptions {
  port: number;
  host?: string;
  routes?: readonly LambdaRoute[];
  extraRoutes?: readonly LocalRoute[];
  /** Suppresses the one-line-per-request log; failures are still reported. */
  quiet?: boolean;
  timeoutMs?: number;
  /** Host names answered besides 127.0.0.1, localhost and [::1]. */
  allowedHosts?: readonly string[];
}

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

export function lambdaRoutes(routes: readonly Pick<Route, 'method' | 'path' | 'handler'>[] = ROUTES): LambdaRoute[] {
  return routes.map((route) => ({
    method: route.method,
    path: route.path,
    functionName: `arbiter-${route.handler}`,
    // Imported on first use, so the gateway serves whichever handlers exist; a missing one is a 502.
    load: () => loadHandler<LambdaHandler>(route.handler),
  }));
}

const START_LINKS: readonly (readonly [string, string, string])[] = [
  ['/local/console', 'Console', 'recommendations, plans and executions as they happen'],
  ['/docs', 'API reference', 'every route, its schemas and examples (Swagger UI)'],
  ['/local/outbox', 'Outbox', 'the emails and notifications Arbiter sent, with the approval links'],
  ['/openapi.json', 'OpenAPI document', 'the same reference, for generators and tools'],
  ['/health', 'Health', 'the service and its database, workflow and notifications'],
];

const START_STYLE = 'body{font:16px system-ui,sans-serif;margin:2rem auto;max-width:40rem}li{margin:.5rem 0}';

/** `/` locally: where to go (the pages this gateway serves). */
function startPage(isServed: (path: string) => boolean): LocalRoute {
  const items = START_LINKS.filter(([path]) => isServed(path))
    .map(([path, name, what]) => `<li><a href="${path}">${name}</a>: ${what}</li>`)
    .join('');
  const body = htmlDocument({
    title: 'Arbiter (local)',
    style: START_STYLE,
    body: `<h1>Arbiter, running locally</h1><ul>${items}</ul>`,
  });
  return {
    method: 'GET',
    path: '/',
    serve: () => ({ statusCode: 200, headers: { ...pageHeaders(START_STYLE) }, body }),
  };
}

type Body = { kind: 'complete'; bytes: Buffer } | { kind: 'too_large' };

async function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit keep reading and dropping, so the client finishes sending and sees the 413.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? { kind: 'too_large' } : { kind: 'complete', bytes: Buffer.concat(chunks) };
}

async function invokeLambda(
  route: LambdaRoute,
  event: APIGatewayProxyEvent,
  timeoutMs: number,
  profile?: InvocationProfile,
): Promise<HttpReply> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'timeout')));
  try {
    const handler = await route.load();
    const run = () => handler(event, buildLambdaContext(route.functionName, timeoutMs));
    const result = await Promise.race([profile ? profile.handle(run) : run(), timedOut]);
    if (result === 'timeout') {
      console.error(`[gateway] ${route.functionName} did not answer within ${timeoutMs} ms`);
      return errorReply(504, 'Endpoint request timed out');
    }
    if (!isProxyResult(result)) {
      console.error(`[gateway] ${route.functionName} returned a malformed proxy result: ${describeResult(result)}`);
      return errorReply(502, 'Internal server error');
    }
    const size = Buffer.byteLength(JSON.stringify(result));
    if (size > MAX_LAMBDA_RESPONSE_BYTES) {
      console.error(
        `[gateway] ${route.functionName} returned ${size} bytes, over Lambda's ${MAX_LAMBDA_RESPONSE_BYTES}-byte response limit: 502, as on AWS`,
      );
      return errorReply(502, 'Internal server error');
    }
    return replyFromResult(result);
  } catch (error) {
    console.error(`[gateway] ${route.functionName} failed:`, error);
    return errorReply(502, 'Internal server error');
  } finally {
    clearTimeout(timer);
  }
}

/** The Host header's name (any port): `localhost:3000` → `localhost`, `[::1]:3000` → `[::1]`. */
export function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (!host) return false;
  const name = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host.trim().toLowerCase())?.[1];
  return name !== undefined && allowed.has(name.replace(/\.$/, ''));
}

/** 421 Misdirected Request: the gateway is not the server for that name, whatever resolved to it. */
function misdirected(req: IncomingMessage): HttpReply {
  req.resume();
  return errorReply(421, 'Misdirected request: this local gateway answers only to 127.0.0.1, localhost and [::1]');
}

async function serveLocal(
  route: LocalRoute,
  req: IncomingMessage,
  bytes: Buffer,
  pathParameters: Record<string, string>,
): Promise<HttpReply> {
  const url = new URL(req.url ?? '/', 'http://local');
  try {
    const response = await route.serve({
      method: req.method ?? 'GET',
      path: url.pathname,
      pathParameters,
      query: url.searchParams,
      headers: req.headers,
      body: bytes.toString('utf8'),
    });
    return {
      statusCode: response.statusCode,
      headers: { 'content-type': 'application/json', ...response.headers },
      body: Buffer.from(response.body),
    };
  } catch (error) {
    console.error(`[gateway] local route ${route.method} ${route.path} failed:`, error);
    return errorReply(500, 'Internal server error');
  }
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  type AnyRoute = LambdaRoute | LocalRoute;
  const routes: AnyRoute[] = [...(options.routes ?? lambdaRoutes()), ...(options.extraRoutes ?? [])];
  const served = createRouter(routes);
  const isServed = (path: string) => served('GET', path).kind === 'found';
  const route = createRouter(routes.some((r) => r.path === '/') ? routes : [...routes, startPage(isServed)]);
  const timeoutMs = options.timeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const allowedHosts = new Set([...LOOPBACK_HOSTS, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()));

  async function reply(
    req: IncomingMessage,
    requestId: string,
    invocation: Invocation,
    profile?: InvocationProfile,
  ): Promise<HttpReply> {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = route(req.method ?? 'GET', url.pathname);
    if (match.kind === 'malformed') return errorReply(400, 'Malformed request path');
    if (match.kind === 'not_found') return errorReply(404, `No route for ${url.pathname}`);
    if (match.kind === 'wrong_method')
      return errorReply(405, `Method ${req.method} not allowed on ${url.pathname}`, { allow: match.allow.join(', ') });
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (body.kind === 'too_large') return errorReply(413, 'Request too large');
    const target = match.route;
    if ('serve' in target) {
      invocation.fn = 'local';
      return serveLocal(target, req, body.bytes, match.pathParameters);
    }
    invocation.fn = target.functionName.replace(/^arbiter-/, '');
    const event = buildProxyEvent(
      req,
      body.bytes,
      { resource: target.path, pathParameters: match.pathParameters },
      requestId,
    );
    return invokeLambda(target, event, timeoutMs, profile);
  }

  // Labelled with the function that answers (`gateway` until a route matched): its log lines fold into this request's.
  const handle = (req: IncomingMessage, res: ServerResponse) =>
    asFunction('gateway', (invocation) => answerRequest(req, res, invocation));

  async function answerRequest(req: IncomingMessage, res: ServerResponse, invocation: Invocation): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const profile = profileInvocation(`${req.method} ${req.url}`);
    const answer = isAllowedHost(req.headers.host, allowedHosts)
      ? reply(req, requestId, invocation, profile)
      : Promise.resolve(misdirected(req));
    const { statusCode, headers, body } = await answer.catch((error: unknown) => {
      console.error('[gateway] request failed:', error);
      return errorReply(500, 'Internal server error');
    });
    profile?.finish();
    res.writeHead(statusCode, { ...headers, 'x-amzn-requestid': requestId, 'content-length': body.length });
    res.end(body);
    if (!options.quiet)
      logInvocation(invocation, `${req.method} ${redactUrl(req.url ?? '/')}`, Date.now() - started, String(statusCode));
  }

  const server = createServer((req, res) => void handle(req, res));
  server.listen(options.port, options.host ?? '127.0.0.1');
  await once(server, 'listening'); // rejects on 'error', e.g. EADDRINUSE
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    async close() {
      const closed = once(server, 'close');
      server.close();
      // Keep-alive connections would otherwise hold close() open until they time out.
      server.closeAllConnections();
      await closed;
    },
  };
}
