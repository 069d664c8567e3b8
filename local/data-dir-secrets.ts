// The local stack's generated secrets (admin key, link-signing key, simulated agents' key, the key
// that seals signing secrets in the table), kept in
// ARBITER_DATA_DIR/secrets.json when there is a data directory: after a restart the emailed review
// links still verify, and the admin key printed before still works. Values set in the environment win.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecrets {
  admin_key: string;
  link_secret: string;
  agents_secret: string;
  /** The 32-byte key (base64url) that seals agents' signing secrets in the table. */
  secrets_key: string;
}

/** What a stack saved in ARBITER_DATA_DIR/secrets.json, if it did. */
export function storedSecrets(dataPath: string | undefined): Partial<LocalSecrets> | undefined {
  const file = dataPath && join(dataPath, 'secrets.json');
  return file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : undefined;
}

export function dataDirSecrets(dataPath: string | undefined, generate: () => LocalSecrets): LocalSecrets {
  if (!dataPath) return generate();
  const file = join(dataPath, 'secrets.json');
  const stored = storedSecrets(dataPath);
  if (stored) {
    const fresh = generate();
    const secrets = { ...fresh, ...stored };
    if (Object.keys(stored).length < Object.keys(fresh).length)
      writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
  const secrets = generate();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
