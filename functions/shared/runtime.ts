// The adapters a Lambda works with, built once per cold start from the parsed environment.
import { hashKey, sameKey, type Principal } from '../core/access.js';
import { Unauthenticated } from '../core/errors.js';
import type { Clock, IdGenerator } from '../core/ports.js';
import { adminKeySource } from '../adapters/admin-key.js';
import { DynamoCredentialStore } from '../adapters/credential-store.js';
import { documentClient } from '../adapters/dynamo.js';
import { newId } from '../adapters/ids.js';
import { DynamoPolicyStore } from '../adapters/policy-store.js';
import { DynamoRecommendationStore } from '../adapters/recommendation-store.js';
import { env } from './env.js';
import type { Authenticate } from './http.js';

function build() {
  const config = env();
  const db = documentClient({ endpoint: config.DYNAMODB_ENDPOINT });
  const credentials = new DynamoCredentialStore(db, config.TABLE_NAME);
  const adminKey = adminKeySource({ secretArn: config.ADMIN_KEY_SECRET_ARN, key: config.ARBITER_ADMIN_KEY });
  const clock: Clock = { now: () => new Date() };
  const ids: IdGenerator = { next: newId };

  const authenticate: Authenticate = async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new Unauthenticated('missing API key: send Authorization: Bearer <key>');
    const key = match[1];
    // Issued keys first: most calls are agents', and they need no trip to Secrets Manager.
    const principal = await credentials.findPrincipal(hashKey(key));
    if (principal) return principal;
    if (adminKey && sameKey(key, await adminKey())) return { role: 'admin' } satisfies Principal;
    throw new Unauthenticated('unknown API key');
  };

  return {
    config,
    db,
    clock,
    ids,
    authenticate,
    credentials,
    recommendations: new DynamoRecommendationStore(db, config.TABLE_NAME),
    policies: new DynamoPolicyStore(db, config.TABLE_NAME),
  };
}

let instance: ReturnType<typeof build> | undefined;

export function runtime() {
  instance ??= build();
  return instance;
}
