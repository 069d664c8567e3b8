// Secrets at rest on AWS (issue 8 §6): envelope encryption under a customer-managed KMS key. Each
// seal asks KMS for a fresh data key (GenerateDataKey), seals the secret with it (AES-256-GCM, as
// the local cipher) and stores the data key only as KMS encrypted it: a table scan or backup holds
// nothing usable without kms:Decrypt on the key, which only the dispatching and callback-verifying
// functions have (lib/secrets-key.ts).
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { SecretCipher } from '../core/ports/access.js';
import { aesGcmCipher } from './secret-cipher.js';

const PREFIX = 'kms1:';
const LOCAL_PREFIX = 'v1:';
/** Bound into every data key: a sealed value of another purpose or service does not open here. */
export const SECRETS_CONTEXT = { service: 'arbiter', purpose: 'agent-signing-secret' } as const;

type Send = Pick<KMSClient, 'send'>;

export function kmsCipher(keyArn: string, kms: Send = new KMSClient({})): SecretCipher {
  return {
    async seal(plain) {
      const key = await kms.send(
        new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: { ...SECRETS_CONTEXT } }),
      );
      if (!key.Plaintext || !key.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no data key');
      const sealed = await aesGcmCipher(Buffer.from(key.Plaintext)).seal(plain);
      key.Plaintext.fill(0);
      return `${PREFIX}${Buffer.from(key.CiphertextBlob).toString('base64url')}:${sealed.slice(LOCAL_PREFIX.length)}`;
    },
    async open(stored) {
      // Values stored before sealing read as they are (as the local cipher does).
      if (!stored.startsWith(PREFIX)) return stored;
      const [wrapped, body] = stored.slice(PREFIX.length).split(':');
      const key = await kms.send(
        new DecryptCommand({
          KeyId: keyArn,
          CiphertextBlob: Buffer.from(wrapped, 'base64url'),
          EncryptionContext: { ...SECRETS_CONTEXT },
        }),
      );
      if (!key.Plaintext) throw new Error('KMS Decrypt returned no data key');
      const plain = await aesGcmCipher(Buffer.from(key.Plaintext)).open(LOCAL_PREFIX + body);
      key.Plaintext.fill(0);
      return plain;
    },
  };
}
