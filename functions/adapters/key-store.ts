// API keys of agents and approvers. The owner's item (C#<customer> / AG#<agent> or AP#<approver>)
// lists its keys (`api_keys`: id, hash, dates); each key also has its own item (K#<hash> / KEY)
// that authentication reads. Rotation and revocation change both in one transaction, conditioned
// on the list as read, so concurrent changes never lose a key or leave one half revoked.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type {
  IssuedKey,
  KeyOwner,
  KeyRotation,
  KeyStore,
  OwnerKeys,
  Principal,
  SecretCipher,
} from '../core/ports/access.js';
import { transactIf } from './conditional-writes.js';
import { keys, type TransactItem } from './dynamo.js';
import { apiKeyKey, apiKeyPut } from './key-items.js';
import { plaintextCipher } from './secret-cipher.js';

/** The key an agent got at registration before keys had ids. */
export const LEGACY_KEY_ID = 'key_initial';

interface OwnerItem {
  api_keys?: IssuedKey[];
  key_hash?: string;
  created_at: string;
  role?: 'agent' | 'orchestrator';
  email?: string;
}

export class DynamoKeyStore implements KeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** The same cipher as the credential store's: a rotated signing secret is sealed like the first. */
    private readonly cipher: SecretCipher = plaintextCipher,
  ) {}

  private ownerKey(owner: KeyOwner) {
    return {
      pk: keys.customer(owner.customer_id),
      sk: owner.kind === 'agent' ? keys.agent(owner.id) : keys.approver(owner.id),
    };
  }

  async keysOf(owner: KeyOwner): Promise<OwnerKeys | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: this.ownerKey(owner), ConsistentRead: true }),
    );
    const item = result.Item as OwnerItem | undefined;
    if (!item) return undefined;
    const principal: Principal =
      owner.kind === 'agent'
        ? {
            role: 'agent',
            customer_id: owner.customer_id,
            agent_id: owner.id,
            ...(item.role === 'orchestrator' ? { orchestrator: true } : {}),
          }
        : { role: 'approver', customer_id: owner.customer_id, approver_id: owner.id, email: item.email ?? '' };
    const listed =
      item.api_keys ??
      (item.key_hash ? [{ key_id: LEGACY_KEY_ID, key_hash: item.key_hash, created_at: item.created_at }] : []);
    return { keys: listed, principal };
  }

  async rotate(change: KeyRotation): Promise<boolean> {
    const list = [...change.expiring, change.issued];
    const sealed = change.signingSecret ? await this.cipher.seal(change.signingSecret.secret) : undefined;
    const owner: TransactItem = {
      Update: {
        TableName: this.table,
        Key: this.ownerKey(change.owner),
        UpdateExpression: `SET api_keys = :list${change.signingSecret ? ', previous_signing_secret = signing_secret, previous_signing_secret_until = :until, signing_secret = :secret' : ''}`,
        ...this.unchanged(change.read),
        ExpressionAttributeValues: {
          ...this.unchanged(change.read).ExpressionAttributeValues,
          ':list': list,
          ...(change.signingSecret
            ? { ':secret': sealed, ':until': change.signingSecret.previousUntil ?? change.issued.created_at }
            : {}),
        },
      },
    };
    return transactIf(this.db, [
      owner,
      apiKeyPut(this.table, change.issued, change.principal),
      ...change.removed.map((k): TransactItem => ({ Delete: { TableName: this.table, Key: apiKeyKey(k.key_hash) } })),
      ...change.expiring.map(
        (k): TransactItem => ({
          Update: {
            TableName: this.table,
            Key: apiKeyKey(k.key_hash),
            // TTL removes it a while after it stopped working; authentication checks expires_at itself.
            UpdateExpression: 'SET expires_at = :at, #ttl = :ttl',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':at': k.expires_at,
              ':ttl': Math.ceil(Date.parse(k.expires_at!) / 1000) + 86_400,
            },
          },
        }),
      ),
    ]);
  }

  revoke(owner: KeyOwner, read: IssuedKey[], key: IssuedKey): Promise<boolean> {
    const unchanged = this.unchanged(read);
    return transactIf(this.db, [
      {
        Update: {
          TableName: this.table,
          Key: this.ownerKey(owner),
          UpdateExpression: 'SET api_keys = :list',
          ...unchanged,
          ExpressionAttributeValues: {
            ...unchanged.ExpressionAttributeValues,
            ':list': read.filter((k) => k.key_id !== key.key_id),
          },
        },
      },
      { Delete: { TableName: this.table, Key: apiKeyKey(key.key_hash) } },
    ]);
  }

  /** The condition that the owner's key list is still the one read (owners registered before key ids have none stored). */
  private unchanged(read: IssuedKey[]) {
    return {
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(api_keys) OR api_keys = :read)',
      ExpressionAttributeValues: { ':read': read } as Record<string, unknown>,
    };
  }
}
