// Domain errors: they say what went wrong in the domain, never how HTTP shows it.
// functions/shared/errors.ts maps each kind to a status code in one table.

export interface FieldIssue {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: string;
}

export class InvalidInput extends DomainError {
  readonly kind = 'invalid_input';
  constructor(
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(message = 'missing or unknown API key') {
    super(message);
  }
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
  constructor(
    message: string,
    /** The fields whose values the caller may not use, when the refusal is about some. */
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly kind = 'not_found';
}

/** The thing exists but its state does not allow the request (already decided, already executed). */
export class StateConflict extends DomainError {
  readonly kind = 'state_conflict';
}

/** The thing existed but its time is over (an approval past its expiry). */
export class Expired extends DomainError {
  readonly kind = 'expired';
}

/** Someone else is working on the same customer right now; retrying shortly will succeed. */
export class Busy extends DomainError {
  readonly kind = 'busy';
}

/** A conditional write lost a race; the use case re-reads and tries again. */
export class StaleState extends DomainError {
  readonly kind = 'stale_state';
}
