// Where a request's time goes on the local stack (bench/api-coordinate.bench.ts): the gateway times
// each Lambda invocation, every AWS SDK call made while it runs (DynamoDB, Step Functions, SNS) is
// counted and timed against it through AsyncLocalStorage, and the stand-in servers time what they
// answer. Off unless switched on (ARBITER_PROFILE=1 or enableProfiling()): the SDK's Client.send is
// then wrapped, in this process only; nothing changes in the handlers or adapters.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { SFNClient } from '@aws-sdk/client-sfn';

/** Calls counted, their summed time, and the wall time during which at least one was under way. */
export class Tally {
  count = 0;
  sumMs = 0;
  wallMs = 0;
  private inFlight = 0;
  private since = 0;

  begin(): number {
    const now = performance.now();
    this.count += 1;
    if (this.inFlight++ === 0) this.since = now;
    return now;
  }

  end(started: number): void {
    const now = performance.now();
    this.sumMs += now - started;
    if (--this.inFlight === 0) this.wallMs += now - this.since;
  }

  add(other: Tally): void {
    this.count += other.count;
    this.sumMs += other.sumMs;
    this.wallMs += other.wallMs;
  }
}

function tallyOf(tallies: Map<string, Tally>, key: string): Tally {
  let tally = tallies.get(key);
  if (!tally) tallies.set(key, (tally = new Tally()));
  return tally;
}

/**
 * One Lambda invocation: through the gateway (`POST /coordination/coordinate`), as a workflow task
 * (`task request-approval`), or everything else at once (`background`: execution-ended, the reconciler).
 */
export class InvocationProfile {
  /** From the request's arrival at the gateway (or the task's start) until its reply is ready. */
  gatewayMs = 0;
  handlerMs = 0;
  /** SDK calls by service (`dynamodb`) and by `service Command`: the whole send, from the caller's side. */
  readonly sdk = new Map<string, Tally>();
  /** The same calls' HTTP round trips (request written → response headers), by service. */
  readonly http = new Map<string, Tally>();
  /** With call sites on: by `service Command ← adapter ← use case`. */
  readonly sites = new Map<string, Tally>();
  private readonly arrived = performance.now();

  constructor(readonly functionName: string) {}

  /** Runs the handler with this profile as the one its SDK calls count against. */
  async handle<T>(run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await storage.run({ profile: this }, run);
    } finally {
      this.handlerMs = performance.now() - started;
    }
  }

  finish(): void {
    this.gatewayMs = performance.now() - this.arrived;
    profiler?.invocations.push(this);
  }
}

export interface Profiler {
  readonly invocations: InvocationProfile[];
  /** SDK calls made outside any invocation profiled: execution-ended, the reconciler. */
  readonly background: InvocationProfile;
  /** What the stand-ins took to answer, server side, by `stand-in Operation`. */
  readonly standIns: Map<string, Tally>;
  /** Forgets what was recorded so far (after a warm-up). */
  reset(): void;
}

interface Context {
  profile: InvocationProfile;
  service?: string;
}

const storage = new AsyncLocalStorage<Context>();
let profiler: Profiler | undefined;

export function profiling(): Profiler | undefined {
  if (!profiler && process.env.ARBITER_PROFILE === '1') enableProfiling();
  return profiler;
}

/** Starts an invocation's profile when profiling is on. */
export function profileInvocation(functionName: string): InvocationProfile | undefined {
  return profiling() && new InvocationProfile(functionName);
}

/** Times one request a stand-in answers, when profiling is on. */
export async function profileStandIn<T>(operation: () => string, answer: () => Promise<T>): Promise<T> {
  const standIns = profiling()?.standIns;
  if (!standIns) return answer();
  const tally = tallyOf(standIns, operation());
  const started = tally.begin();
  try {
    return await answer();
  } finally {
    tally.end(started);
  }
}

const SERVICES: Readonly<Record<string, string>> = {
  DynamoDBDocumentClient: 'dynamodb',
  DynamoDBClient: 'dynamodb',
  SFNClient: 'stepfunctions',
  SNSClient: 'sns',
};

type Send = (this: object, command: object, ...rest: unknown[]) => Promise<unknown>;

/** The Arbiter frames a call came through: its adapter, and the use case or handler above it. */
function callSite(): string {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  Error.captureStackTrace(holder, callSite);
  Error.stackTraceLimit = limit;
  const frames = (holder.stack ?? '').split('\n').flatMap((line) => {
    const match = /at (?:async )?(\S+) \(.*\/functions\/([^:]+):(\d+)/.exec(line);
    return match ? [{ name: match[1], file: match[2], line: match[3] }] : [];
  });
  const adapters = frames.filter((f) => f.file.startsWith('adapters/'));
  const caller = frames.find((f) => !f.file.startsWith('adapters/') && !f.file.startsWith('shared/'));
  const show = (f?: { name: string; file: string; line: string }) => (f ? `${f.name} (${f.file}:${f.line})` : '?');
  // The store method, and the shared helper it went through (paginate, conditional writes) if any.
  const [inner, outer] = [adapters[0], adapters.at(-1)];
  const adapter = inner === outer ? show(outer) : `${show(outer)} via ${show(inner)}`;
  return `${adapter} ← ${show(caller)}`;
}

export interface ProfilingOptions {
  /** Also key each SDK call by the adapter and use case it came from (costs a stack trace per call). */
  callSites?: boolean;
}

export function enableProfiling(options: ProfilingOptions = {}): Profiler {
  if (profiler) return profiler;
  const enabled: Profiler = {
    invocations: [],
    background: new InvocationProfile('background'),
    standIns: new Map(),
    reset() {
      enabled.invocations.length = 0;
      enabled.standIns.clear();
      enabled.background.sdk.clear();
      enabled.background.http.clear();
      enabled.background.sites.clear();
    },
  };
  profiler = enabled;
  // Every SDK client shares the smithy Client class (SFNClient's parent), and the document client
  // sends through it once per command, so wrapping its send sees each call exactly once.
  const client = Object.getPrototypeOf(SFNClient.prototype) as { send: Send };
  const send = client.send;
  client.send = function profiledSend(this: object, command: object, ...rest: unknown[]) {
    const profile = storage.getStore()?.profile ?? enabled.background;
    const service = SERVICES[this.constructor.name] ?? this.constructor.name;
    const byService = tallyOf(profile.sdk, service);
    const byCommand = tallyOf(profile.sdk, `${service} ${command.constructor.name}`);
    const bySite = options.callSites
      ? tallyOf(profile.sites, `${service} ${command.constructor.name} ← ${callSite()}`)
      : undefined;
    const started = byService.begin();
    byCommand.begin();
    bySite?.begin();
    const sent = storage.run({ profile, service }, () => send.call(this, command, ...rest));
    const done = () => {
      byService.end(started);
      byCommand.end(started);
      bySite?.end(started);
    };
    sent.then(done, done);
    return sent;
  };
  // The HTTP part of those calls: the SDK's request is created inside send, in its context.
  const requests = new WeakMap<ClientRequest, { tally: Tally; started: number }>();
  diagnostics.subscribe('http.client.request.start', (message) => {
    const context = storage.getStore();
    if (!context?.service) return;
    const tally = tallyOf(context.profile.http, context.service);
    requests.set((message as { request: ClientRequest }).request, { tally, started: tally.begin() });
  });
  const ended = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const started = requests.get(request);
    requests.delete(request);
    started?.tally.end(started.started);
  };
  diagnostics.subscribe('http.client.response.finish', ended);
  diagnostics.subscribe('http.client.request.error', ended);
  return enabled;
}
