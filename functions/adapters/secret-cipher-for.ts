// Which cipher seals agents' signing secrets, from the environment: KMS where the CDK gave the
// function the key's ARN, the local stack's data-directory key otherwise; plaintext only where
// neither is set (a function that never touches secrets, or an old deployment).
import type { SecretCipher } from '../core/ports/access.js';
import { kmsCipher } from './kms-cipher.js';
import { aesGcmCipher, plaintextCipher } from './secret-cipher.js';

export function secretCipherFor(config: { SECRETS_KEY_ARN?: string; ARBITER_SECRETS_KEY?: string }): SecretCipher {
  if (config.SECRETS_KEY_ARN) return kmsCipher(config.SECRETS_KEY_ARN);
  if (config.ARBITER_SECRETS_KEY) return aesGcmCipher(Buffer.from(config.ARBITER_SECRETS_KEY, 'base64url'));
  return plaintextCipher;
}
