// Who is calling, from the API key: issued keys are looked up in the table; the admin key is read from
// Secrets Manager on AWS (given directly locally).
import { secretValue } from '../adapters/secret-value.js';
import { hashKey, sameKey } from '../core/access/principals.js';
import { Unauthenticated } from '../core/model/errors.js';
import type { Principal } from '../core/ports/access.js';
import type { Authenticate } from './http.js';
import { config, once } from './runtime.js';
import { stores } from './stores.js';

/** The key in `Authorization: Bearer <key>`; a key sent without the scheme is told so, not called missing. */
export function bearerKey(authorization: string | undefined): string {
  const value = (authorization ?? '').trim();
  if (value === '') throw new Unauthenticated('missing API key: send Authorization: Bearer <key>');
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (match) return match[1];
  if (/^\S+$/.test(value) && !/^bearer$/i.test(value))
    throw new Unauthenticated('the Authorization header must say Bearer: send Authorization: Bearer <key>');
  throw new Unauthenticated('malformed Authorization header: send Authorization: Bearer <key>');
}

export const authenticate = once((): Authenticate => {
  const { credentials } = stores();
  const adminKey = secretValue({ secretArn: config().ADMIN_KEY_SECRET_ARN, value: config().ARBITER_ADMIN_KEY });
  return async (authorization) => {
    const key = bearerKey(authorization);
    // Issued keys first: most calls are agents', and they need no trip to Secrets Manager.
    const principal = await credentials.findPrincipal(hashKey(key));
    if (principal) return principal;
    if (adminKey && sameKey(key, await adminKey())) return { role: 'admin' } satisfies Principal;
    throw new Unauthenticated('unknown API key');
  };
});
