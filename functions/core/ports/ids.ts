// The IdGenerator port: unique ids with a readable prefix.

export interface IdGenerator {
  /** A new unique id starting with `prefix` (e.g. `apr_`). */
  next(prefix: string): string;
}
