// The HTTP stack every API Lambda shares: middy + Powertools logger, key authentication, body
// limits, zod parsing of body/query/path, and one error mapper. Handlers only declare routes.

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import { InvalidInput } from '../core/model/errors.js';
import type { Principal } from '../core/ports/access.js';
import { errorResponse, PayloadTooLarge, RouteNotFound, UnsupportedMediaType } from './errors.js';
import { decodeUtf8Strictly, parseJsonStrictly } from './json-body.js';
import { logger } from './observability.js';
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

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  BS extends Schema | undefined,
  QS extends Schema | undefined,
  PS extends Schema | undefined,
> {
  /** `key`: any valid API key (the route checks the role and customer); `public`: none needed. */
  auth: 'key' | 'public';
  /** How the body arrives: JSON (the API) or an HTML form (the review page). */
  bodyType?: 'json' | 'form';
  /** Pages for people get their errors as pages too, with the same headers (their CSP) as the pages. */
  errorPage?: { render: (status: number, message: string) => string; headers: Record<string, string> };
  body?: BS;
  query?: QS;
  path?: PS;
  run(input: RouteInput<Out<BS>, Out<QS>, Out<PS>>): Promise<HttpResult>;
}

export function route<
  BS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
  PS extends Schema | undefined = undefined,
>(spec: RouteSpec<BS, QS, PS>): RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined> {
  return spec as unknown as RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;
}

/** Routes keyed by `METHOD /resource/{param}`, exactly as in functions/shared/routes.ts. */
export type RouteTable = Record<string, RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>>;

export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

export function httpApi(routes: RouteTable, authenticate: () => Authenticate) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        const { status, body, headers } = errorResponse(request.error, logger);
        const spec = routes[`${request.event.httpMethod} ${request.event.resource}`];
        request.response = spec?.errorPage
          ? htmlResponse(status, spec.errorPage.render(status, body.error), { ...spec.errorPage.headers, ...headers })
          : respond({ status, body, headers });
      },
    })
    .handler(async (event) => {
      const spec = routes[`${event.httpMethod} ${event.resource}`];
      if (!spec) throw new RouteNotFound(`no route for ${event.httpMethod} ${event.path}`);
      logger.appendKeys({ route: `${event.httpMethod} ${event.resource}` });
      const principal: Principal =
        spec.auth === 'public' ? { role: 'anonymous' } : await authenticate()(header(event, 'authorization'));
      if ('customer_id' in principal) logger.appendKeys({ customer_id: principal.customer_id });
      const input = {
        principal,
        event,
        path: spec.path ? parseWith(spec.path, event.pathParameters ?? {}, 'path') : undefined,
        query: spec.query ? parseWith(spec.query, event.queryStringParameters ?? {}, 'query') : undefined,
        body: spec.body
          ? parseWith(spec.body, spec.bodyType === 'form' ? formBody(event) : jsonBody(event), 'body')
          : undefined,
      };
      return respond(await spec.run(input));
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
