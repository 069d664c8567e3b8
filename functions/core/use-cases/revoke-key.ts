// DELETE …/keys/{key_id}: one key stops working at once.
import { NotFound, StateConflict } from '../model/errors.js';
import type { KeyOwner, KeyStore } from '../ports/access.js';

export async function revokeKey(owner: KeyOwner, keyId: string, deps: { keys: KeyStore }): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const read = (await deps.keys.keysOf(owner))?.keys;
    const key = read?.find((k) => k.key_id === keyId);
    if (!read || !key) throw new NotFound(`key ${keyId} of ${owner.kind} ${owner.id} not found`);
    if (await deps.keys.revoke(owner, read, key)) return;
  }
  throw new StateConflict(`the keys of ${owner.kind} ${owner.id} are changing; try again`);
}
