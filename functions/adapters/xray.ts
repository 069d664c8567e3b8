// X-Ray subsegments for the calls a Lambda makes: each AWS SDK call and each agent call, sent to the X-Ray
// daemon as the X-Ray developer guide describes ("Sending trace data": a subsegment document of its own, with
// `type: subsegment` and the invocation's segment as `parent_id`, over UDP after the daemon's JSON header).
// Powertools Tracer does the same through aws-xray-sdk-core, which adds ~120 KB to every bundle (coordinate
// would be 347 KB against the 300 KB budget); this is the part Arbiter uses, in a few hundred bytes.
//
// Silent and nearly free wherever no trace is being recorded: no `_X_AMZN_TRACE_ID` or no daemon address
// (the local stack, tests), a trace X-Ray did not sample, or POWERTOOLS_TRACE_ENABLED=false.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

interface Trace {
  root: string;
  parent: string;
  daemon: { host: string; port: number };
}

/** What a finished call adds to its subsegment: `aws` for an AWS SDK call, `http` for an agent's. */
export interface CallFacts {
  aws?: { operation?: string; region?: string; request_id?: string; retries?: number };
  http?: { request: { method: string; url: string }; response?: { status: number } };
  /** The HTTP status answered, if any: 4xx marks the subsegment an error, 429 a throttle, 5xx a fault. */
  status?: number;
}

const DAEMON_HEADER = '{"format":"json","version":1}\n';

/**
 * The invocation's trace. Read on every call, not parsed once with the rest of the environment (env.ts):
 * Lambda sets `_X_AMZN_TRACE_ID` anew for each invocation.
 */
export function currentTrace(environment: NodeJS.ProcessEnv = process.env): Trace | undefined {
  const header = environment._X_AMZN_TRACE_ID;
  const address = environment.AWS_XRAY_DAEMON_ADDRESS;
  if (!header || !address || environment.POWERTOOLS_TRACE_ENABLED === 'false') return undefined;
  const fields = new Map(header.split(';').map((part) => part.split('=', 2) as [string, string]));
  const root = fields.get('Root');
  const parent = fields.get('Parent');
  if (!root || !parent || fields.get('Sampled') !== '1') return undefined;
  const daemon = daemonAddress(address);
  return daemon && { root, parent, daemon };
}

/** "169.254.79.129:2000", or "tcp:127.0.0.1:2000 udp:127.0.0.2:2001" where the UDP one is ours. */
function daemonAddress(value: string): Trace['daemon'] | undefined {
  const parts = value.trim().split(/\s+/);
  const udp = parts.length === 1 ? parts[0] : parts.find((p) => p.startsWith('udp:'))?.slice(4);
  const match = udp ? /^([^:]+):(\d+)$/.exec(udp) : null;
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

let socket: Socket | undefined;

function send(trace: Trace, document: Record<string, unknown>): void {
  socket ??= createSocket('udp4').unref();
  // A lost subsegment must never fail the call it describes.
  socket.send(DAEMON_HEADER + JSON.stringify(document), trace.daemon.port, trace.daemon.host, () => undefined);
}

/**
 * Runs the call in a subsegment named `name` (the AWS service, or the agent's host) when a trace is
 * recorded; otherwise just runs it. `facts` reads the call's outcome, or its error, for the document.
 */
export async function inSubsegment<T>(
  name: string,
  namespace: 'aws' | 'remote',
  call: () => Promise<T>,
  facts: (outcome: { result?: T; error?: unknown }) => CallFacts,
): Promise<T> {
  const trace = currentTrace();
  if (!trace) return call();
  const id = randomBytes(8).toString('hex');
  const start = Date.now() / 1000;
  const document = (outcome: { result?: T; error?: unknown }) => {
    const { status, ...described } = facts(outcome);
    return {
      type: 'subsegment',
      id,
      parent_id: trace.parent,
      trace_id: trace.root,
      name,
      namespace,
      start_time: start,
      end_time: Date.now() / 1000,
      ...described,
      ...(status === 429 ? { throttle: true, error: true } : {}),
      ...(status !== undefined && status >= 400 && status < 500 && status !== 429 ? { error: true } : {}),
      ...(outcome.error !== undefined || (status ?? 0) >= 500 ? { fault: true } : {}),
      ...(outcome.error !== undefined ? { cause: { exceptions: [exception(outcome.error)] } } : {}),
    };
  };
  try {
    const result = await call();
    send(trace, document({ result }));
    return result;
  } catch (error) {
    send(trace, document({ error }));
    throw error;
  }
}

function exception(error: unknown) {
  const e = error instanceof Error ? error : new Error(String(error));
  return { id: randomBytes(8).toString('hex'), type: e.name, message: e.message.slice(0, 500) };
}

/** Each client types its middleware by its own commands' inputs and outputs: this one takes them all. */
// biome-ignore lint/suspicious/noExplicitAny: a middleware for every client's commands
type AnyMiddleware = any;

/** The part of an AWS SDK v3 client this needs: its region and its middleware stack. */
interface MiddlewareClient {
  config: { region?: unknown };
  middlewareStack: { add(middleware: AnyMiddleware, options: object): void };
}

interface SdkMetadata {
  $metadata?: { requestId?: string; attempts?: number; httpStatusCode?: number };
}

/**
 * Every call of this AWS SDK client becomes a subsegment named after the service (DynamoDB, SFN, SNS...),
 * with the operation, the region and the request id; its retries stay inside it (the initialize step).
 */
export function captureAwsClient<C extends MiddlewareClient>(client: C, service: string): C {
  const region = async () => {
    const r = client.config.region;
    return typeof r === 'function' ? String(await r()) : typeof r === 'string' ? r : undefined;
  };
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (!currentTrace()) return next(args);
      const regionName = await region();
      return inSubsegment(
        service,
        'aws',
        () => next(args),
        ({ result, error }) => {
          const meta = ((result as { output?: SdkMetadata } | undefined)?.output ?? (error as SdkMetadata | undefined))
            ?.$metadata;
          return {
            aws: {
              operation: context.commandName?.replace(/Command$/, ''),
              region: regionName,
              request_id: meta?.requestId,
              retries: meta?.attempts !== undefined ? meta.attempts - 1 : undefined,
            },
            status: meta?.httpStatusCode,
          };
        },
      );
    },
    { step: 'initialize', name: 'arbiterXRaySubsegment', override: true },
  );
  return client;
}
