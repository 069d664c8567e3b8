// Turns an HTTP request into the API Gateway REST API (v1 proxy) event and Lambda context the
// handlers get on AWS, and a handler's result back into an HTTP response. Faithful where handlers
// could notice: header names as sent, multi-value twins, null when absent, the path still
// percent-encoded while path and query parameters are decoded, binary bodies in base64.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

export const STAGE = 'local';
/** API Gateway gives up on an integration after 29 s; the Lambda sees the same budget. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

export interface RequestTarget {
  /** The matched resource path, e.g. `/coordination/recommendations/{id}`. */
  resource: string;
  pathParameters: Record<string, string>;
}

type MultiValue = Record<string, string[]>;

/** Header names keep the spelling the client sent; repeats are grouped case-insensitively. */
function headersAsSent(rawHeaders: string[]): MultiValue {
  const spelling = new Map<string, string>();
  const headers: MultiValue = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i].toLowerCase();
    const name = spelling.get(lower) ?? rawHeaders[i];
    spelling.set(lower, name);
    (headers[name] ??= []).push(rawHeaders[i + 1]);
  }
  return headers;
}

function findHeader(headers: MultiValue, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key].at(-1);
}

/** API Gateway tells the integration who called and how, as a load balancer would. */
function addForwardingHeaders(headers: MultiValue, sourceIp: string, port: string): void {
  const forwardedFor = findHeader(headers, 'x-forwarded-for');
  for (const key of Object.keys(headers)) {
    if (/^x-forwarded-(for|proto|port)$/i.test(key)) delete headers[key];
  }
  headers['X-Forwarded-For'] = [forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp];
  headers['X-Forwarded-Proto'] = ['http'];
  headers['X-Forwarded-Port'] = [port];
}

function queryParameters(search: string): MultiValue | null {
  const params = new URLSearchParams(search);
  const multi: MultiValue = {};
  for (const [name, value] of params) (multi[name] ??= []).push(value);
  return Object.keys(multi).length > 0 ? multi : null;
}

/** With multiple values, the single-value map holds the last one, as API Gateway does. */
function lastValues(multi: MultiValue | null): Record<string, string> | null {
  return multi && Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.at(-1) as string]));
}

const TEXT_TYPES = /^(text\/|application\/([\w.+-]*\+)?(json|xml)|application\/(x-www-form-urlencoded|javascript))/i;

function bodyOf(raw: Buffer, contentType: string | undefined): { body: string | null; isBase64Encoded: boolean } {
  if (raw.length === 0) return { body: null, isBase64Encoded: false };
  // A body without a content type is passed on as text, like API Gateway without binary media types.
  if (contentType === undefined || TEXT_TYPES.test(contentType.trim()))
    return { body: raw.toString('utf8'), isBase64Encoded: false };
  return { body: raw.toString('base64'), isBase64Encoded: true };
}

/** API Gateway's access-log time format: `09/Apr/2015:12:34:56 +0000`. */
function requestTime(epochMs: number): string {
  const [, day, month, year, time] =
    /^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/.exec(new Date(epochMs).toUTCString()) ?? [];
  return `${day}/${month}/${year}:${time} +0000`;
}

export function buildProxyEvent(
  req: IncomingMessage,
  rawBody: Buffer,
  target: RequestTarget,
  requestId: string,
): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://local');
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const multiValueHeaders = headersAsSent(req.rawHeaders);
  addForwardingHeaders(multiValueHeaders, sourceIp, String(req.socket.localPort ?? ''));
  const multiValueQueryStringParameters = queryParameters(url.search);
  const pathParameters = Object.keys(target.pathParameters).length > 0 ? target.pathParameters : null;
  const now = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    resource: target.resource,
    path: url.pathname,
    httpMethod: method,
    headers: lastValues(multiValueHeaders) ?? {},
    multiValueHeaders,
    queryStringParameters: lastValues(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    pathParameters,
    stageVariables: null,
    ...bodyOf(rawBody, findHeader(multiValueHeaders, 'content-type')),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      domainName: findHeader(multiValueHeaders, 'host'),
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent: findHeader(multiValueHeaders, 'user-agent') ?? null,
        userArn: null,
      },
      path: `/${STAGE}${url.pathname}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now,
      resourceId: createHash('sha256').update(target.resource).digest('hex').slice(0, 6),
      resourcePath: target.resource,
      stage: STAGE,
    },
  };
}

export function buildLambdaContext(functionName: string, timeoutMs = INTEGRATION_TIMEOUT_MS): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('callback-style completion is not supported: return a promise from the handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${functionName}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export interface HttpReply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A result API Gateway could not use is its 502 "Malformed Lambda proxy response". */
export function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (typeof value !== 'object' || value === null) return false;
  const { statusCode, body } = value as Record<string, unknown>;
  return Number.isInteger(statusCode) && (body === undefined || typeof body === 'string');
}

export function replyFromResult(result: APIGatewayProxyResult): HttpReply {
  // API Gateway merges both maps; where a name is in both, multiValueHeaders wins.
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name.toLowerCase()] = values.map(String);
  headers['content-type'] ??= 'application/json';
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  return { statusCode: result.statusCode, headers, body };
}

export function errorReply(statusCode: number, error: string, headers: Record<string, string> = {}): HttpReply {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify({ error })),
  };
}
