// What ArbiterClient throws when Arbiter refuses a request: the status, Arbiter's own message and,
// for a 400 (or a 403 about fields), every field it names, e.g. `recommendations[1].risk_level`.
import type { FieldIssue } from '../functions/core/model/errors.js';

export type { FieldIssue };

/** What went wrong, by status: narrow on this rather than on numbers. */
export type ArbiterErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'expired'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'throttled'
  | 'unavailable'
  | 'server_error'
  | 'unexpected';

const KIND_BY_STATUS: Record<number, ArbiterErrorKind> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'expired',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'throttled',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

export class ArbiterError extends Error {
  override readonly name = 'ArbiterError';
  readonly kind: ArbiterErrorKind;

  constructor(
    /** The HTTP status Arbiter answered. */
    readonly status: number,
    /** Arbiter's message (the body's `error`). */
    readonly error: string,
    /** The fields Arbiter named (`details`): empty when it named none. */
    readonly details: readonly FieldIssue[],
    /** What was asked: `POST /coordination/coordinate`. */
    readonly request: string,
    /** Seconds to wait before trying again, from `Retry-After` (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${request} answered ${status}: ${error}${details.length > 0 ? ` (${describeFields(details)})` : ''}`);
    this.kind = KIND_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'unexpected');
  }

  /** The named fields, `field: message` each. */
  get fields(): string[] {
    return this.details.map((d) => `${d.field}: ${d.message}`);
  }
}

export function describeFields(details: readonly FieldIssue[]): string {
  return details.map((d) => `${d.field}: ${d.message}`).join('; ');
}

/** The error for an answer that is not 2xx, from Arbiter's `{error, details?}` body (or whatever else came back). */
export function errorFromAnswer(
  status: number,
  body: unknown,
  request: string,
  retryAfter: string | null,
): ArbiterError {
  const shaped = typeof body === 'object' && body !== null ? (body as { error?: unknown; details?: unknown }) : {};
  const error =
    typeof shaped.error === 'string'
      ? shaped.error
      : typeof body === 'string' && body.trim() !== ''
        ? body.trim().slice(0, 500)
        : `HTTP ${status}`;
  const details = Array.isArray(shaped.details) ? shaped.details.filter(isFieldIssue) : [];
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  return new ArbiterError(status, error, details, request, seconds);
}

function isFieldIssue(value: unknown): value is FieldIssue {
  const v = value as Partial<FieldIssue> | null;
  return typeof v === 'object' && v !== null && typeof v.field === 'string' && typeof v.message === 'string';
}
