// Who is calling, and what they may touch. Keys are random and only their SHA-256 is stored;
// a request for another customer than the key's is refused.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Forbidden, InvalidInput, Unauthenticated } from '../model/errors.js';
import type { Principal } from '../ports/access.js';

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new secret: `prefix` + 32 random bytes, base64url. Keys are stored as hashes; signing secrets as they are (both sides sign with them), in the table encrypted at rest. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Constant-time comparison of a presented key with the expected one, via their hashes. */
export function sameKey(presented: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(hashKey(presented), 'hex'), Buffer.from(hashKey(expected), 'hex'));
}

export function requireAdmin(principal: Principal): void {
  if (principal.role === 'anonymous') throw new Unauthenticated();
  if (principal.role !== 'admin') throw new Forbidden('this needs the admin key');
}

/**
 * The customer a request acts for: the key's own, or for the admin the one it names.
 * Naming another customer than the key's is refused.
 */
export function customerFor(principal: Principal, requested: string | undefined): string {
  if (principal.role === 'anonymous') throw new Unauthenticated();
  if (principal.role === 'admin') {
    if (!requested)
      throw new InvalidInput('customer_id is required with the admin key', [
        { field: 'customer_id', message: 'required with the admin key' },
      ]);
    return requested;
  }
  if (requested !== undefined && requested !== principal.customer_id) {
    throw new Forbidden(`this key belongs to another customer than ${requested}`);
  }
  return principal.customer_id;
}

/** Refuses principals whose role is not among `roles` (admin is always allowed). */
export function requireRole(principal: Principal, ...roles: Array<'agent' | 'approver'>): void {
  if (principal.role === 'anonymous') throw new Unauthenticated();
  if (principal.role !== 'admin' && !roles.includes(principal.role))
    throw new Forbidden(`a ${principal.role} key cannot do this`);
}

/** The customer an agent or approver reads for (the admin names one). */
export function readerCustomer(principal: Principal, requested: string | undefined): string {
  requireRole(principal, 'agent', 'approver');
  return customerFor(principal, requested);
}
