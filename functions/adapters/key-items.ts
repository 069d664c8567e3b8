// An issued API key's own item, K#<sha256> / KEY → its principal: what authentication reads. Written
// with the owner at registration (credential and approver stores) and at rotation (key store).
import type { IssuedKey, Principal } from '../core/ports/access.js';
import { keys } from './dynamo.js';

export function apiKeyKey(keyHash: string) {
  return { pk: keys.apiKey(keyHash), sk: keys.apiKeySort };
}

function apiKeyItem(key: IssuedKey, principal: Principal) {
  return {
    ...apiKeyKey(key.key_hash),
    entity: 'api_key',
    principal,
    key_id: key.key_id,
    created_at: key.created_at,
  };
}

/** The key's item, written only if no key has its hash. */
export function apiKeyPut(table: string, key: IssuedKey, principal: Principal) {
  return {
    Put: { TableName: table, Item: apiKeyItem(key, principal), ConditionExpression: 'attribute_not_exists(pk)' },
  };
}
