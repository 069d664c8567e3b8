// Issuing, rotating and revoking API keys of agents and approvers. A key is shown once and stored
// as its hash; each has a public key_id to revoke it by. Rotation issues a new key (and, for an
// agent, a new signing secret); the old ones keep working for a grace period the caller sets
// (default 0: revoked at once). A revoked or expired key is refused at its next request.
import { randomBytes } from 'node:crypto';
import { hashKey, newSecret, type Principal } from './access.js';
import { NotFound, StateConflict } from './errors.js';
import type { Clock } from './ports.js';

export interface IssuedKey {
  key_id: string;
  key_hash: string;
  created_at: string;
  /** Set when a rotation put it on notice; it stops working then. */
  expires_at?: string;
}

export interface KeyOwner {
  kind: 'agent' | 'approver';
  customer_id: string;
  id: string;
}

export interface OwnerKeys {
  keys: IssuedKey[];
  /** Who the owner's keys act as. */
  principal: Principal;
}

export interface KeyRotation {
  owner: KeyOwner;
  principal: Principal;
  issued: IssuedKey;
  /** The owner's keys as read; the change applies only if they are unchanged. */
  read: IssuedKey[];
  /** Keys that keep working until their expires_at. */
  expiring: IssuedKey[];
  /** Keys removed now (grace 0, or already expired). */
  removed: IssuedKey[];
  /** An agent's new signing secret, and until when the previous one is still accepted. */
  signingSecret?: { secret: string; previousUntil?: string };
}

export interface KeyStore {
  /** The owner's keys; undefined when there is no such agent or approver. */
  keysOf(owner: KeyOwner): Promise<OwnerKeys | undefined>;
  /** False when the owner's keys changed since `read` (another rotation or revocation). */
  rotate(change: KeyRotation): Promise<boolean>;
  /** Removes one key; false when the owner's keys changed since `read`. */
  revoke(owner: KeyOwner, read: IssuedKey[], key: IssuedKey): Promise<boolean>;
}

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

const PREFIX = { agent: 'arb_agent_', approver: 'arb_approver_' } as const;

export interface RotatedKey {
  key_id: string;
  api_key: string;
  /** An agent's new signing secret. */
  signing_secret?: string;
  /** Until when the previous keys (and signing secret) keep working; absent when they stopped at once. */
  previous_valid_until?: string;
}

export async function rotateKey(owner: KeyOwner, graceSeconds: number, deps: { keys: KeyStore; clock: Clock }): Promise<RotatedKey> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await deps.keys.keysOf(owner);
    if (!found) throw new NotFound(`${owner.kind} ${owner.id} is not registered for customer ${owner.customer_id}`);
    const { keys: read, principal } = found;
    const now = deps.clock.now();
    const live = read.filter((k) => !k.expires_at || Date.parse(k.expires_at) > now.getTime());
    const until = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000).toISOString() : undefined;
    // A key already on notice keeps its earlier end; the others end with the grace period.
    const expiring = until ? live.map((k) => (k.expires_at && k.expires_at < until ? k : { ...k, expires_at: until })) : [];
    if (expiring.length + 1 > MAX_ACTIVE_KEYS) throw new StateConflict(`${owner.kind} ${owner.id} already has ${expiring.length} working keys; revoke one or rotate with grace_seconds 0`);
    const removed = read.filter((k) => !expiring.some((e) => e.key_id === k.key_id));
    const { apiKey, issued } = issueKey(PREFIX[owner.kind], now);
    const signingSecret = owner.kind === 'agent' ? { secret: newSecret('arb_sign_'), ...(until ? { previousUntil: until } : {}) } : undefined;
    if (await deps.keys.rotate({ owner, principal, issued, read, expiring, removed, signingSecret })) {
      return { key_id: issued.key_id, api_key: apiKey, ...(signingSecret ? { signing_secret: signingSecret.secret } : {}), ...(until ? { previous_valid_until: until } : {}) };
    }
  }
  throw new StateConflict(`the keys of ${owner.kind} ${owner.id} are changing; try again`);
}

export async function revokeKey(owner: KeyOwner, keyId: string, deps: { keys: KeyStore }): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const read = (await deps.keys.keysOf(owner))?.keys;
    const key = read?.find((k) => k.key_id === keyId);
    if (!read || !key) throw new NotFound(`key ${keyId} of ${owner.kind} ${owner.id} not found`);
    if (await deps.keys.revoke(owner, read, key)) return;
  }
  throw new StateConflict(`the keys of ${owner.kind} ${owner.id} are changing; try again`);
}
