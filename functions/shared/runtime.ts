// The adapters a Lambda works with, built once per cold start from the parsed environment.
// Parts a Lambda is not configured for (no state machine, no topic) fail loudly when first used.

import { HttpAgentClient, resolveAgentTarget, simulatedAgents } from '../adapters/agent-client.js';
import { documentClient } from '../adapters/dynamo.js';
import { newId } from '../adapters/ids.js';
import { secretCipherFor } from '../adapters/secret-cipher-for.js';
import { secretValue } from '../adapters/secret-value.js';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import { StepFunctionsWorkflow } from '../adapters/step-functions.js';
import { dynamoStores } from '../adapters/stores.js';
import { systemClock } from '../adapters/system-clock.js';
import { hashKey, sameKey } from '../core/access/principals.js';
import { Unauthenticated } from '../core/model/errors.js';
import type { Principal } from '../core/ports/access.js';
import type { Clock } from '../core/ports/clock.js';
import type { IdGenerator } from '../core/ports/ids.js';
import { type Env, env } from './env.js';
import type { Authenticate } from './http.js';

function required<K extends keyof Env>(config: Env, name: K): NonNullable<Env[K]> {
  const value = config[name];
  if (value === undefined) throw new Error(`this function is not configured with ${String(name)}`);
  return value as NonNullable<Env[K]>;
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function build() {
  const config = env();
  const db = documentClient({ endpoint: config.DYNAMODB_ENDPOINT });
  // Agents' signing secrets are sealed in the table (KMS on AWS, a data-directory key locally).
  const secretCipher = secretCipherFor(config);
  const clock: Clock = systemClock;
  const stores = dynamoStores({ db, table: config.TABLE_NAME, clock, secretCipher });
  const { credentials } = stores;
  const adminKey = secretValue({ secretArn: config.ADMIN_KEY_SECRET_ARN, value: config.ARBITER_ADMIN_KEY });
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

  const workflow = once(
    () => new StepFunctionsWorkflow(required(config, 'STATE_MACHINE_ARN'), config.STEPFUNCTIONS_ENDPOINT),
  );
  const notifier = once(() => new SnsNotifier(required(config, 'TOPIC_ARN'), config.SNS_ENDPOINT));
  const linkSecret = once(() => {
    const source = secretValue({ secretArn: config.LINK_SECRET_ARN, value: config.ARBITER_LINK_SECRET });
    if (!source) throw new Error('this function is not configured with LINK_SECRET_ARN');
    return source;
  });

  const simulated = simulatedAgents(config);
  const agentClient = once(() => new HttpAgentClient());

  return {
    config,
    db,
    clock,
    ids,
    authenticate,
    /** For every store that writes or reads signing secrets (the key store's rotation too). */
    secretCipher,
    ...stores,
    get agentClient() {
      return agentClient();
    },
    resolveTarget: (agent: Parameters<typeof resolveAgentTarget>[0]) => resolveAgentTarget(agent, simulated),
    get publicUrl() {
      return required(config, 'PUBLIC_API_URL');
    },
    get workflow() {
      return workflow();
    },
    get notifier() {
      return notifier();
    },
    linkSecret: () => linkSecret()(),
  };
}

let instance: ReturnType<typeof build> | undefined;

export function runtime() {
  instance ??= build();
  return instance;
}
