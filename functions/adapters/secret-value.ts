// Where the admin key comes from: Secrets Manager on AWS, an environment variable locally.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export type AdminKeySource = () => Promise<string>;

/** The admin key, read when first needed; undefined when this function is not given one (health). */
export function adminKeySource(options: { secretArn?: string; key?: string }): AdminKeySource | undefined {
  if (options.key) {
    const key = options.key;
    return async () => key;
  }
  if (!options.secretArn) return undefined;
  const secretArn = options.secretArn;
  const client = new SecretsManagerClient({});
  let cached: { value: string; until: number } | undefined;
  return async () => {
    // Cached for five minutes: a rotated key is picked up without a cold start.
    if (!cached || cached.until < Date.now()) {
      const result = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!result.SecretString) throw new Error('admin key secret has no string value');
      cached = { value: result.SecretString, until: Date.now() + 300_000 };
    }
    return cached.value;
  };
}
