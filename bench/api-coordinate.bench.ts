// The local API under load (issue 12 §8): POST /coordination/coordinate with 10 recommendations
// (3 conflicts, 8 kept: 4 approvals requested, 4 approved, so 8 workflows started), over HTTP on an
// in-process local stack with its own DynamoDB Local. Each coordinate is for a customer of its own
// (one agent, one approver, nothing active yet), so every measured request does the same work.
// Prints sequential p50/p99, then `agents` agents at once, each sending `rounds` coordinates back to
// back; with --profile, also where a coordinate's time goes (local/profiling.ts).
//   node --import tsx bench/api-coordinate.bench.ts [--runs 200] [--agents 20] [--rounds 10]
//        [--warmup 20] [--profile] [--call-sites] [--cpu-profile <file>] [--no-isolate]
// --call-sites: also where each SDK call comes from (slower); --cpu-profile: a V8 profile of the
// sequential phase (bench/api-cpu-profile.ts reads it); --no-isolate: DynamoDB Local without its relay.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { arbiterClient, registerAgent, registerApprover } from '../local/arbiter-client.js';
import { startDynamoLocal } from '../local/dynamodb.js';
import { enableProfiling } from '../local/profiling.js';
import { startLocalStack } from '../local/stack.js';
import { type Attribution, attribute, cpuOfTree, cpuPerRun, percentile } from './api-profile.js';
import { table } from './measure.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    agents: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    'call-sites': { type: 'boolean', default: false },
    'cpu-profile': { type: 'string' },
    driven: { type: 'boolean', default: false },
    'no-isolate': { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
const warmup = Number(args.warmup);
const agents = Number(args.agents);
const rounds = Number(args.rounds);
const RECOMMENDATIONS = 10;
const KEPT = 8;

const recommendation = (
  i: number,
  risk: string,
  action: string,
  resources: string[],
  priority: number,
  dependencies: string[] = [],
) => ({
  id: `rec-${i}`,
  agent_id: 'bench-agent',
  agent_type: 'cost',
  type: 'cost',
  title: `${action} ${resources.join(', ')}`,
  description: 'benchmark recommendation',
  action,
  risk_level: risk,
  estimated_savings: 100 + i * 10,
  affected_resources: resources,
  dependencies,
  priority,
  confidence: 0.8,
});

/** rec-1 loses i-1 to rec-0; rec-3 loses cluster-a (resource and action) to rec-2; rec-7 waits for rec-6. */
function batch(customerId: string) {
  return {
    customer_id: customerId,
    auto_approve: false,
    execute_now: false,
    recommendations: [
      recommendation(0, 'low', 'scale_down', ['i-1'], 5),
      recommendation(1, 'low', 'rightsize', ['i-1'], 3),
      recommendation(2, 'medium', 'scale_up', ['cluster-a'], 4),
      recommendation(3, 'low', 'scale_down', ['cluster-a'], 2),
      recommendation(4, 'medium', 'migrate_to_spot', ['i-10', 'i-11'], 3),
      recommendation(5, 'high', 'migrate_database', ['db-prod'], 5),
      recommendation(6, 'low', 'enable_caching', ['cache-1'], 1),
      recommendation(7, 'low', 'rightsize', ['vol-1'], 1, ['rec-6']),
      recommendation(8, 'medium', 'rightsize', ['vol-2'], 2),
      recommendation(9, 'low', 'delete_snapshot', ['snap-1'], 1),
    ],
  };
}

const profiler = args.profile || args['call-sites'] ? enableProfiling({ callSites: args['call-sites'] }) : undefined;
const dynamo = await startDynamoLocal({ isolate: args['no-isolate'] ? false : undefined });
const stack = await startLocalStack({
  port: 0,
  quiet: true,
  dynamoEndpoint: dynamo.endpoint,
  tableName: `bench-${randomUUID()}`,
  reconcileEveryMs: 0,
});
const admin = arbiterClient(stack.url, stack.adminKey);

interface Customer {
  id: string;
  body: string;
  key: string;
}

/** Customers with their agent and approver, registered before anything is timed. */
async function enrol(count: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const id = `bench-${randomUUID().slice(0, 8)}`;
    const [agent] = await Promise.all([
      registerAgent(admin, 'bench-agent', id),
      registerApprover(admin, id, `approver@${id}.example`),
    ]);
    customers.push({ id, body: JSON.stringify(batch(id)), key: agent.api_key });
  }
  return customers;
}

/** Answers of an overloaded stack (503 when the handler ran out of time, 504 from the gateway), or none. */
const OVERLOADED = new Set([502, 503, 504]);
let overloaded = 0;

/**
 * One coordinate; its time from the client's side, checked to have done what the batch asks. An
 * answer of an overloaded stack is counted (`overloaded`) and its time kept: it is what a client saw.
 */
async function coordinateOnce(customer: Customer): Promise<number> {
  const started = performance.now();
  const reply = await fetch(new URL('/coordination/coordinate', stack.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${customer.key}`, 'content-type': 'application/json' },
    body: customer.body,
  }).then(
    async (response) => ({ response, text: await response.text() }),
    // A connection reset: the gateway's event loop stalled past its keep-alive timeout.
    () => undefined,
  );
  const ms = performance.now() - started;
  if (!reply || OVERLOADED.has(reply.response.status)) {
    overloaded += 1;
    return ms;
  }
  const { response, text } = reply;
  const parsed = JSON.parse(text) as { recommendations_kept?: number };
  if (response.status !== 200 || parsed.recommendations_kept !== KEPT)
    throw new Error(`coordinate answered ${response.status}: ${text.slice(0, 500)}`);
  return ms;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function latencyRow(label: string, { times, wallMs, overloaded }: Phase): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  return [
    label,
    `${times.length}${overloaded ? ` (${overloaded} overloaded)` : ''}`,
    ms(percentile(sorted, 0.5)),
    ms(percentile(sorted, 0.99)),
    ms(sorted.at(-1) ?? 0),
    ((times.length * RECOMMENDATIONS) / (wallMs / 1000)).toFixed(0),
  ];
}

/** A V8 CPU profile of the sequential phase only (read it with bench/api-cpu-profile.ts). */
async function startCpuProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return session;
}

async function stopCpuProfile(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

function printAttribution(title: string, attribution: Attribution): void {
  console.log(`\n${title}\n`);
  console.log(table(['part', 'calls / request', 'mean / request', 'share'], attribution.parts));
  console.log();
  console.log(table(['call', 'calls / request', 'mean / call', 'mean / request'], attribution.calls));
  if (attribution.sites.length > 0) {
    console.log();
    console.log(table(['SDK call ← adapter ← caller', 'calls / coordinate', 'mean / call'], attribution.sites));
  }
}

interface Phase {
  times: number[];
  wallMs: number;
  /** Of those, answered 502/503/504. */
  overloaded: number;
}

async function sequentialPhase(customers: readonly Customer[]): Promise<Phase> {
  const started = performance.now();
  const failedBefore = overloaded;
  const times: number[] = [];
  for (const customer of customers) times.push(await coordinateOnce(customer));
  return { times, wallMs: performance.now() - started, overloaded: overloaded - failedBefore };
}

/** Each group is one agent's customers, sent one after the other; the agents all at once. */
async function concurrentPhase(groups: readonly (readonly Customer[])[]): Promise<Phase> {
  const started = performance.now();
  const failedBefore = overloaded;
  const times: number[] = [];
  await Promise.all(
    groups.map(async (customers) => {
      for (const customer of customers) times.push(await coordinateOnce(customer));
    }),
  );
  return { times, wallMs: performance.now() - started, overloaded: overloaded - failedBefore };
}

function inGroups(customers: readonly Customer[], size: number): Customer[][] {
  return Array.from({ length: Math.ceil(customers.length / size) }, (_, g) =>
    customers.slice(g * size, (g + 1) * size),
  );
}

/**
 * Driven by bench/api-ab.ts: after the warm-up, answers `seq N` and `burst AGENTS ROUNDS` lines on
 * stdin with one `@ab {...}` line of timings each (customers enrolled before the clock starts).
 */
async function driven(): Promise<void> {
  const say = (value: object) => console.log(`@ab ${JSON.stringify(value)}`);
  say({ ready: true });
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, a = '0', b = '0'] = line.trim().split(/\s+/);
    if (command === 'seq') say(await sequentialPhase(await enrol(Number(a))));
    else if (command === 'burst') say(await concurrentPhase(inGroups(await enrol(Number(a) * Number(b)), Number(b))));
    else break;
  }
}

try {
  for (const customer of await enrol(warmup)) await coordinateOnce(customer);
  if (args.driven) {
    await driven();
  } else {
    const rows: string[][] = [];
    profiler?.reset();
    const sequential = await enrol(runs);
    const javaPid = dynamo.pid;
    const inspector = args['cpu-profile'] ? await startCpuProfile() : undefined;
    const cpuBefore = { node: process.cpuUsage(), dynamo: cpuOfTree(javaPid) };
    // How long a callback waits for the one event loop that the gateway, the handlers, the workflow
    // engine and its tasks share (on AWS, each Lambda invocation has its own).
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const alone = await sequentialPhase(sequential);
    loopDelay.disable();
    const nodeCpu = process.cpuUsage(cpuBefore.node);
    if (inspector) await stopCpuProfile(inspector, args['cpu-profile']!);
    const dynamoCpu = cpuPerRun(cpuBefore.dynamo, cpuOfTree(javaPid), runs);
    rows.push(latencyRow('sequential', alone));
    const sequentialProfile = profiler && attribute(profiler, alone.times);

    const groups = inGroups(await enrol(agents * rounds), rounds);
    profiler?.reset();
    const together = await concurrentPhase(groups);
    if (agents > 0) rows.push(latencyRow(`${agents} agents at once`, together));
    const concurrentProfile = profiler && agents > 0 ? attribute(profiler, together.times) : undefined;

    console.log(
      `\nPOST /coordination/coordinate, ${RECOMMENDATIONS} recommendations, ${KEPT} kept; DynamoDB Local ${dynamo.isolation === 'none' ? 'without relay' : 'behind its relay (network namespace)'}${profiler ? '; profiling on' : ''}\n`,
    );
    console.log(table(['phase', 'requests', 'p50', 'p99', 'max', 'recommendations/s'], rows));
    console.log(
      `\nCPU per sequential coordinate: this process ${ms((nodeCpu.user + nodeCpu.system) / 1000 / runs)}; DynamoDB Local's processes: ${dynamoCpu}`,
    );
    const lag = (p: number) => ms(loopDelay.percentile(p) / 1e6);
    console.log(`Event loop delay while sequential: p50 ${lag(50)}, p99 ${lag(99)}, max ${ms(loopDelay.max / 1e6)}`);
    if (sequentialProfile) printAttribution('Where a sequential coordinate spends its time', sequentialProfile);
    if (concurrentProfile) printAttribution(`With ${agents} agents at once`, concurrentProfile);
  }
} finally {
  await stack.stop();
  await dynamo.stop();
}
