// The HTTP stack every API Lambda shares: middy + Powertools logger, key authentication, body
// limits, zod parsing of body/query/path (the registry's schemas), and one error mapper. Handlers only
// implement their routes.

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import { InvalidInput } from '../core/model/errors.js';
import type { Principal } from '../core/ports/access.js';
import { errorResponse, PayloadTooLarge, RouteNotFound, UnsupportedMediaType } from './errors.js';
import { decodeUtf8Strictly, parseJsonStrictly } from './json-body.js';
import { flushMetrics } from './metrics.js';
import { logger } from './observability.js';
import {
  type HandlerName,
  type HandlerRoutes,
  needsKey,
  ROUTES,
  type RouteDef,
  type RouteKey,
  type RouteOf,
  routeKey,
} from './routes.js';
import { parseWith } from './validation.js';

export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  path: P;
  principal: Principal;
  event: APIGatewayProxyEvent;
}

type Parsed<R, F extends string> = R extends { [K in F]: infer S extends z.ZodType } ? z.output<S> : undefined;

/** What a handler writes for a route: the rest (auth, parsing) comes from the registry. */
export type Implementation<K extends RouteKey> = (
  input: RouteInput<Parsed<RouteOf<K>, 'body'>, Parsed<RouteOf<K>, 'query'>, Parsed<RouteOf<K>, 'params'>>,
) => Promise<HttpResult>;

export type Implementations<H extends HandlerName> = { [K in HandlerRoutes<H>]: Implementation<K> };

/** Pages for people get their errors as pages too, with the same headers (their CSP) as the pages. */
export interface ErrorPage {
  render: (status: number, message: string) => string;
  headers: Record<string, string>;
}

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

interface Dispatch {
  route: RouteDef;
  run: Implementation<RouteKey>;
}

/** The handler's routes from the registry, each with its implementation; a route left out fails the cold start. */
function dispatchTable(handler: HandlerName, implementations: Record<string, unknown>): Map<string, Dispatch> {
  const table = new Map<string, Dispatch>();
  for (const route of ROUTES.filter((r) => r.handler === handler)) {
    const run = implementations[routeKey(route)];
    if (typeof run !== 'function') throw new Error(`${handler} does not implement ${routeKey(route)}`);
    table.set(routeKey(route), { route, run: run as Implementation<RouteKey> });
  }
  return table;
}

export function httpApi<H extends HandlerName>(
  handler: H,
  implementations: Implementations<H>,
  authenticate: () => Authenticate,
  errorPage?: ErrorPage,
) {
  const table = dispatchTable(handler, implementations);
  const pageFor = (event: APIGatewayProxyEvent) => {
    const route = table.get(`${event.httpMethod} ${event.resource}`)?.route;
    return route && 'produces' in route && route.produces === 'text/html' ? errorPage : undefined;
  };
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(flushMetrics())
    .use({
      onError: async (request) => {
        const { status, body, headers } = errorResponse(request.error, logger);
        const page = pageFor(request.event);
        request.response = page
          ? htmlResponse(status, page.render(status, body.error), { ...page.headers, ...headers })
          : respond({ status, body, headers });
      },
    })
    .handler(async (event) => {
      const found = table.get(`${event.httpMethod} ${event.resource}`);
      if (!found) throw new RouteNotFound(`no route for ${event.httpMethod} ${event.path}`);
      const { route, run } = found;
      logger.appendKeys({ route: routeKey(route) });
      const principal: Principal = needsKey(route)
        ? await authenticate()(header(event, 'authorization'))
        : { role: 'anonymous' };
      if ('customer_id' in principal) logger.appendKeys({ customer_id: principal.customer_id });
      const input = {
        principal,
        event,
        path: route.params ? parseWith(route.params, event.pathParameters ?? {}, 'path') : undefined,
        query: route.query ? parseWith(route.query, event.queryStringParameters ?? {}, 'query') : undefined,
        body: route.body
          ? parseWith(route.body, route.bodyType === 'form' ? formBody(event) : jsonBody(event), 'body')
          : undefined,
      };
      // biome-ignore lint/suspicious/noExplicitAny: the input was parsed with this route's own schemas
      return respond(await run(input as any));
    });
}

/** A request header, whatever the case the client sent it in. */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name && v !== undefined) return v;
  return undefined;
}

/** The body as the client sent it (signatures are checked over these exact bytes). */
export function rawBody(event: APIGatewayProxyEvent): string {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

function bodyText(event: APIGatewayProxyEvent, contentType: RegExp, expected: string): string {
  const text = strictText(event);
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES)
    throw new PayloadTooLarge(`body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
  if (!contentType.test((header(event, 'content-type') ?? '').trim()))
    throw new UnsupportedMediaType(`body must be ${expected}`);
  return text;
}

/**
 * The body as text, refusing invalid UTF-8. A base64 body is decoded strictly; a text body has
 * already been decoded by API Gateway (or the local gateway), which turns invalid bytes into
 * U+FFFD: a literal U+FFFD is therefore refused too (clients that mean it can send "\ufffd").
 */
function strictText(event: APIGatewayProxyEvent): string {
  const raw = event.body ?? '';
  if (event.isBase64Encoded) return decodeUtf8Strictly(Buffer.from(raw, 'base64'));
  if (raw.includes('\uFFFD'))
    throw new InvalidInput('body is not valid UTF-8 (it contains U+FFFD, what invalid bytes decode to)', [
      { field: 'body', message: 'is not valid UTF-8' },
    ]);
  return raw;
}

function formBody(event: APIGatewayProxyEvent): Record<string, string> {
  const text = bodyText(
    event,
    /^application\/x-www-form-urlencoded\s*(;|$)/i,
    'a form (Content-Type: application/x-www-form-urlencoded)',
  );
  return Object.fromEntries(new URLSearchParams(text));
}

function jsonBody(event: APIGatewayProxyEvent): unknown {
  const text = bodyText(event, /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i, 'JSON (Content-Type: application/json)');
  if (text.trim() === '')
    throw new InvalidInput('body is empty; a JSON object is required', [{ field: 'body', message: 'required' }]);
  return parseJsonStrictly(text);
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

export function htmlResponse(status: number, html: string, headers?: Record<string, string>): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: html,
  };
}

export function respond({ status, body, headers }: HttpResult): APIGatewayProxyResult {
  const isText = typeof body === 'string';
  return {
    statusCode: status,
    headers: {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
      ...SECURITY_HEADERS,
      ...headers,
    },
    body: isText ? body : JSON.stringify(body),
  };
}
