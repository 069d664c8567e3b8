// Server ids: a prefix, then a time-ordered part and randomness, so ids sort by creation.
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}
