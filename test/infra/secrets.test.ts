import { describe, expect, it } from 'vitest';
import { logicalId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const secrets = resourcesOfType(template, 'AWS::SecretsManager::Secret');
const generation = (secret: typeof stack.adminKey.secret) => secrets[logicalId(secret)].Properties.GenerateSecretString;

describe('secrets', () => {
  it('are the admin key and the review-link key, nothing else', () => {
    expect(Object.keys(secrets).sort()).toEqual(
      [logicalId(stack.adminKey.secret), logicalId(stack.linkSecret.secret)].sort(),
    );
  });

  it('are generated as letters and digits only, so they paste into headers and shells unquoted', () => {
    for (const secret of [stack.adminKey.secret, stack.linkSecret.secret]) {
      expect(generation(secret)).toMatchObject({ ExcludePunctuation: true, IncludeSpace: false });
      expect(generation(secret).SecretStringTemplate).toBeUndefined();
    }
  });

  it('make the review-link HMAC key at least 64 characters and the admin key at least 48', () => {
    expect(generation(stack.linkSecret.secret).PasswordLength).toBeGreaterThanOrEqual(64);
    expect(generation(stack.adminKey.secret).PasswordLength).toBeGreaterThanOrEqual(48);
  });
});
