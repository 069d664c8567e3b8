// The one place where errors become HTTP responses. Domain errors carry no status codes; this
// table gives them one. A dependency that is down, unreachable or throttling (DynamoDB, Step
// Functions, SNS, Secrets Manager) is a 503 with Retry-After; the handler running out of its own time
// is a 504. Anything else is a bug: logged with context, answered with a bare 500.

import type { Logger } from '@aws-lambda-powertools/logger';
import { DomainError, Forbidden, InvalidInput } from '../core/model/errors.js';

/** The request itself is unusable before any domain rule applies. */
export class PayloadTooLarge extends DomainError {
  readonly kind = 'payload_too_large';
}
export class UnsupportedMediaType extends DomainError {
  readonly kind = 'unsupported_media_type';
}
export class RouteNotFound extends DomainError {
  readonly kind = 'route_not_found';
}

const STATUS_BY_KIND: Record<string, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  state_conflict: 409,
  stale_state: 409,
  expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  busy: 429,
};

export interface ErrorResponse {
  status: number;
  body: { error: string; details?: unknown[] };
  headers?: Record<string, string>;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'KMSThrottlingException',
  'InternalServerError',
  'InternalFailure',
  'InternalServiceError',
  'InternalErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

interface SdkLike {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
  errors?: unknown[];
}

/** Which dependency failure this is, if it is one: the service answered 5xx or throttled, or could not be reached. */
export function dependencyFailure(error: unknown, depth = 0): 'throttled' | 'unavailable' | undefined {
  if (depth > 3 || typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkLike;
  if (
    e.$retryable?.throttling ||
    /throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded/i.test(e.name ?? '')
  )
    return 'throttled';
  if (
    (e.code && UNREACHABLE_CODES.has(e.code)) ||
    UNAVAILABLE_NAMES.has(e.name ?? '') ||
    e.$fault === 'server' ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500
  )
    return 'unavailable';
  // Connection errors arrive wrapped (cause) or grouped (one per address tried).
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = dependencyFailure(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The handler ran out of its own time: middy stops it just before Lambda would, with a TimeoutError
 * of its own (an AWS SDK TimeoutError, a dependency's, has no such cause and stays a 503).
 */
function handlerTimedOut(error: unknown): boolean {
  const e = error as { name?: unknown; cause?: { package?: unknown } } | null;
  return typeof e === 'object' && e?.name === 'TimeoutError' && e.cause?.package === '@middy/core';
}

export function errorResponse(error: unknown, logger: Logger): ErrorResponse {
  if (error instanceof DomainError && STATUS_BY_KIND[error.kind]) {
    const status = STATUS_BY_KIND[error.kind];
    logger.info('request refused', { status, error: error.message });
    const details =
      (error instanceof InvalidInput || error instanceof Forbidden) && error.details.length > 0
        ? { details: error.details }
        : {};
    return {
      status,
      body: { error: error.message, ...details },
      ...(status === 401 ? { headers: { 'www-authenticate': 'Bearer' } } : {}),
      ...(status === 429 ? { headers: { 'retry-after': '1' } } : {}),
    };
  }
  if (handlerTimedOut(error)) {
    logger.error('handler timed out', error as Error);
    return { status: 504, body: { error: 'Arbiter did not finish in time; retry shortly' } };
  }
  const failure = dependencyFailure(error);
  if (failure) {
    logger.error('dependency unavailable', { failure, error: error as Error });
    const message =
      failure === 'throttled'
        ? 'A service Arbiter depends on is throttling; retry shortly'
        : 'A service Arbiter depends on is unavailable; retry shortly';
    return { status: 503, body: { error: message }, headers: { 'retry-after': failure === 'throttled' ? '1' : '5' } };
  }
  logger.error('unhandled error', error as Error);
  return { status: 500, body: { error: 'Internal server error' } };
}
