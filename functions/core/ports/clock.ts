// The Clock port: the core never calls new Date() itself.

export interface Clock {
  now(): Date;
}
