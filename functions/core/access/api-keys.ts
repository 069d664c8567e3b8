// API keys of agents and approvers: shown once, stored as their hash, each with a public key_id to
// revoke it by. Rotating and revoking are use cases (use-cases/rotate-key.ts, use-cases/revoke-key.ts).
import { randomBytes } from 'node:crypto';
import type { IssuedKey } from '../ports/access.js';
import { hashKey, newSecret } from './principals.js';

/** Keys that may work at once per owner: enough for overlapping rotations, few enough to audit. */
export const MAX_ACTIVE_KEYS = 5;
export const MAX_GRACE_SECONDS = 30 * 86_400;

export function newKeyId(): string {
  return `key_${randomBytes(9).toString('base64url')}`;
}

export function issueKey(prefix: string, now: Date): { apiKey: string; issued: IssuedKey } {
  const apiKey = newSecret(prefix);
  return { apiKey, issued: { key_id: newKeyId(), key_hash: hashKey(apiKey), created_at: now.toISOString() } };
}
