// Secrets at rest (issue 8 §6): agents' signing secrets are sealed before they reach the table.
// Locally with AES-256-GCM under a key the local stack keeps in its data directory; on AWS the
// same port can be served by KMS (envelope encryption). Unsealed values written before sealing
// existed are read as they are, so a table migrates as agents rotate their secrets.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../core/ports/access.js';

const PREFIX = 'v1:';

/** Stores secrets as they are: the behaviour before sealing, and the default where nothing is wired. */
export const plaintextCipher: SecretCipher = {
  seal: async (plain) => plain,
  open: async (stored) => stored,
};

export function aesGcmCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('the secret-sealing key must be 32 bytes (AES-256)');
  return {
    async seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    async open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
