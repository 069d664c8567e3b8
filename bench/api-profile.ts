// What bench/api-coordinate.bench.ts makes of local/profiling.ts's records: per coordinate, the
// client's round trip split into the gateway, the handler, its DynamoDB and Step Functions calls
// (and their HTTP part), and the stand-ins' own time; plus the CPU a process tree used.
import { readdirSync, readFileSync } from 'node:fs';
import { type InvocationProfile, type Profiler, Tally } from '../local/profiling.js';

export interface Attribution {
  /** part, calls / request, mean ms / request, share of the client's time */
  parts: string[][];
  /** call, calls / request, mean ms / call, mean ms / request */
  calls: string[][];
  /** where from, calls / coordinate, mean ms / call (with call sites on) */
  sites: string[][];
}

/** Nearest rank, of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

const COORDINATE = 'POST /coordination/coordinate';
const SERVICES = ['dynamodb', 'stepfunctions', 'sns'];

function total(profiles: readonly InvocationProfile[], pick: (p: InvocationProfile) => Tally | undefined): Tally {
  const sum = new Tally();
  for (const profile of profiles) {
    const tally = pick(profile);
    if (tally) sum.add(tally);
  }
  return sum;
}

export function attribute(profiler: Profiler, clientTimes: readonly number[]): Attribution {
  const profiles = profiler.invocations.filter((p) => p.functionName.startsWith(COORDINATE));
  const n = profiles.length;
  const mean = (values: number) => values / n;
  const client = clientTimes.reduce((a, b) => a + b, 0) / clientTimes.length;
  const gateway = mean(profiles.reduce((a, p) => a + p.gatewayMs, 0));
  const handler = mean(profiles.reduce((a, p) => a + p.handlerMs, 0));
  const fmt = (value: number) => `${value.toFixed(2)} ms`;
  const share = (value: number) => `${((100 * value) / client).toFixed(0)} %`;
  const row = (part: string, value: number, calls?: number) => [
    part,
    calls === undefined ? '' : (calls / n).toFixed(1),
    fmt(value),
    share(value),
  ];

  const parts: string[][] = [row('client round trip', client), row('gateway: arrival → reply', gateway)];
  parts.push(row('  handler (functions/coordinate)', handler));
  let inCalls = 0;
  for (const service of SERVICES) {
    const sdk = total(profiles, (p) => p.sdk.get(service));
    if (sdk.count === 0) continue;
    const http = total(profiles, (p) => p.http.get(service));
    inCalls += mean(sdk.wallMs);
    parts.push(row(`    ${service} calls (SDK send, wall)`, mean(sdk.wallMs), sdk.count));
    parts.push(row(`      of which HTTP round trips (wall)`, mean(http.wallMs), http.count));
  }
  for (const [operation, tally] of profiler.standIns) {
    if (tally.count === 0 || !operation.startsWith('step-functions')) continue;
    parts.push(row(`      stand-in ${operation} (server side, summed)`, mean(tally.sumMs), tally.count));
  }
  parts.push(row('    handler own (handler − calls)', handler - inCalls));
  parts.push(row('  gateway own (gateway − handler)', gateway - handler));
  parts.push(row('client ↔ gateway HTTP (client − gateway)', client - gateway));
  // What the 8 workflows a coordinate starts do meanwhile, in the same process, against the same DynamoDB Local.
  const tasks = new Map<string, InvocationProfile[]>();
  for (const profile of profiler.invocations)
    if (profile.functionName.startsWith('task '))
      (tasks.get(profile.functionName) ?? setOf(tasks, profile)).push(profile);
  for (const [name, runs] of [...tasks].sort(([a], [b]) => a.localeCompare(b))) {
    const handled = runs.reduce((a, p) => a + p.handlerMs, 0);
    const db = total(runs, (p) => p.sdk.get('dynamodb'));
    parts.push(row(`meanwhile, ${name} (summed; calls: DynamoDB)`, mean(handled), db.count));
    parts.push([`  × ${(runs.length / n).toFixed(1)} per coordinate`, '', '', '']);
  }
  for (const service of SERVICES) {
    const background = profiler.background.sdk.get(service);
    if (background?.count)
      parts.push(row(`meanwhile, other ${service} calls (summed)`, mean(background.sumMs), background.count));
  }

  const calls = new Map<string, Tally>();
  for (const profile of profiles)
    for (const [key, tally] of profile.sdk) {
      if (!key.includes(' ')) continue;
      let sum = calls.get(key);
      if (!sum) calls.set(key, (sum = new Tally()));
      sum.add(tally);
    }
  const callRows = [...calls]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, t]) => [key, (t.count / n).toFixed(1), fmt(t.sumMs / t.count), fmt(mean(t.sumMs))]);
  return { parts, calls: callRows, sites: sitesOf([...profiles, ...[...tasks.values()].flat()], n) };
}

function setOf(tasks: Map<string, InvocationProfile[]>, profile: InvocationProfile): InvocationProfile[] {
  const runs: InvocationProfile[] = [];
  tasks.set(profile.functionName, runs);
  return runs;
}

/** Calls by where they came from, per coordinate (with call sites on). */
function sitesOf(profiles: readonly InvocationProfile[], n: number): string[][] {
  const sites = new Map<string, Tally>();
  for (const profile of profiles)
    for (const [site, tally] of profile.sites) {
      const key = `${profile.functionName}: ${site}`;
      let sum = sites.get(key);
      if (!sum) sites.set(key, (sum = new Tally()));
      sum.add(tally);
    }
  return [...sites]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, t]) => [key, (t.count / n).toFixed(1), `${(t.sumMs / t.count).toFixed(2)} ms`]);
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds (user + system) used so far by a process and its descendants, by command name, from /proc. */
export function cpuOfTree(root: number | undefined): Map<string, number> {
  const used = new Map<string, number>();
  if (root === undefined) return used;
  const stats = new Map<number, { name: string; parent: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and brackets: the fields start after its last ')'.
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { name, parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // ended meanwhile
    }
  }
  for (const [pid, stat] of stats) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = stats.get(at)?.parent) {
      if (at === root) {
        used.set(stat.name, (used.get(stat.name) ?? 0) + stat.ticks * TICK_MS);
        break;
      }
    }
  }
  return used;
}

/** What each command used between two readings of cpuOfTree, per `runs`. */
export function cpuPerRun(before: Map<string, number>, after: Map<string, number>, runs: number): string {
  return [...after]
    .map(([name, ms]) => [name, (ms - (before.get(name) ?? 0)) / runs] as const)
    .filter(([, ms]) => ms >= 0.05)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`)
    .join(', ');
}
