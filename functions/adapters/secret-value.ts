// Secrets (the admin key, the review-link key): Secrets Manager on AWS, given directly locally.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export type SecretSource = () => Promise<string>;

let client: SecretsManagerClient | undefined;

/** The secret, read when first needed and cached for five minutes (a rotated value is picked up without a cold start); undefined when this function is given neither. */
export function secretValue(options: { secretArn?: string; value?: string }): SecretSource | undefined {
  if (options.value) {
    const value = options.value;
    return async () => value;
  }
  if (!options.secretArn) return undefined;
  const secretArn = options.secretArn;
  let cached: { value: string; until: number } | undefined;
  return async () => {
    if (!cached || cached.until < Date.now()) {
      client ??= new SecretsManagerClient({});
      const result = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!result.SecretString) throw new Error(`secret ${secretArn} has no string value`);
      cached = { value: result.SecretString, until: Date.now() + 300_000 };
    }
    return cached.value;
  };
}
