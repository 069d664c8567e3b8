// POST …/keys/rotate: a new key (and signing secret); the old ones work for a grace period.

import { issueKey, MAX_ACTIVE_KEYS } from '../access/api-keys.js';
import { newSecret } from '../access/principals.js';
import { NotFound, StateConflict } from '../model/errors.js';
import type { KeyOwner, KeyStore } from '../ports/access.js';
import type { Clock } from '../ports/clock.js';

const PREFIX = { agent: 'arb_agent_', approver: 'arb_approver_' } as const;

export interface RotatedKey {
  key_id: string;
  api_key: string;
  /** An agent's new signing secret. */
  signing_secret?: string;
  /** Until when the previous keys (and signing secret) keep working; absent when they stopped at once. */
  previous_valid_until?: string;
}

export async function rotateKey(
  owner: KeyOwner,
  graceSeconds: number,
  deps: { keys: KeyStore; clock: Clock },
): Promise<RotatedKey> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await deps.keys.keysOf(owner);
    if (!found) throw new NotFound(`${owner.kind} ${owner.id} is not registered for customer ${owner.customer_id}`);
    const { keys: read, principal } = found;
    const now = deps.clock.now();
    const live = read.filter((k) => !k.expires_at || Date.parse(k.expires_at) > now.getTime());
    const until = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000).toISOString() : undefined;
    // A key already on notice keeps its earlier end; the others end with the grace period.
    const expiring = until
      ? live.map((k) => (k.expires_at && k.expires_at < until ? k : { ...k, expires_at: until }))
      : [];
    if (expiring.length + 1 > MAX_ACTIVE_KEYS)
      throw new StateConflict(
        `${owner.kind} ${owner.id} already has ${expiring.length} working keys; revoke one or rotate with grace_seconds 0`,
      );
    const removed = read.filter((k) => !expiring.some((e) => e.key_id === k.key_id));
    const { apiKey, issued } = issueKey(PREFIX[owner.kind], now);
    const signingSecret =
      owner.kind === 'agent'
        ? { secret: newSecret('arb_sign_'), ...(until ? { previousUntil: until } : {}) }
        : undefined;
    if (await deps.keys.rotate({ owner, principal, issued, read, expiring, removed, signingSecret })) {
      return {
        key_id: issued.key_id,
        api_key: apiKey,
        ...(signingSecret ? { signing_secret: signingSecret.secret } : {}),
        ...(until ? { previous_valid_until: until } : {}),
      };
    }
  }
  throw new StateConflict(`the keys of ${owner.kind} ${owner.id} are changing; try again`);
}
