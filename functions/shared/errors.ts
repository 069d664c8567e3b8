// The one place where errors become HTTP responses. Domain errors carry no status codes; this
// table gives them one. Anything else is a bug: logged with context, answered with a bare 500.
import { DomainError, Forbidden, InvalidInput } from '../core/errors.js';
import type { Logger } from '@aws-lambda-powertools/logger';

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

export function errorResponse(error: unknown, logger: Logger): ErrorResponse {
  if (error instanceof DomainError && STATUS_BY_KIND[error.kind]) {
    const status = STATUS_BY_KIND[error.kind];
    logger.info('request refused', { status, error: error.message });
    const details = (error instanceof InvalidInput || error instanceof Forbidden) && error.details.length > 0 ? { details: error.details } : {};
    return {
      status,
      body: { error: error.message, ...details },
      ...(status === 401 ? { headers: { 'www-authenticate': 'Bearer' } } : {}),
      ...(status === 429 ? { headers: { 'retry-after': '1' } } : {}),
    };
  }
  logger.error('unhandled error', error as Error);
  return { status: 500, body: { error: 'Internal server error' } };
}
