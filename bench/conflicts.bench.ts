// Conflict detection + resolution: Arbiter's indexed core against a port of the seed's pairwise
// approach, on the same generated batches. Run with `npm run bench` (node --expose-gc).
import os from 'node:os';
import v8 from 'node:v8';
import { resolveConflicts } from '../functions/core/resolution.js';
import { formatBytes, formatTime, measure, table, timeOnce } from './measure.js';
import { seedCoordinate } from './pairwise-baseline.js';
import { workload } from './workload.js';

const SIZES = [10, 100, 1_000, 10_000, 100_000];
/** The baseline is measured while its total stays under this; beyond, it is extrapolated. */
const BASELINE_BUDGET_MS = 60_000;
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  n: number;
  arbiter: number;
  conflicts: number;
  baseline?: { ms: number; estimated: boolean; conflicts?: number };
}

const log = (line: string) => process.stderr.write(`${line}\n`);
if (!gc) log('note: run with --expose-gc (npm run bench) to collect garbage between samples');

const rows: Row[] = SIZES.map((n) => {
  const input = workload(n);
  const big = n >= 100_000;
  const { median } = measure(() => resolveConflicts(input), big ? { minWarmups: 4, budgetMs: 15_000, minSamples: 5 } : { budgetMs: 3000 });
  const conflicts = resolveConflicts(input).conflicts.length;
  log(`arbiter  n=${n}: ${formatTime(median)} per run, ${conflicts} conflicts`);
  return { n, arbiter: median, conflicts };
});
const memory = peakMemory(SIZES[SIZES.length - 1]);

let spent = 0;
let last: { n: number; ms: number } | undefined;
for (const row of rows) {
  const predicted = last ? last.ms * (row.n / last.n) ** 2 : 0;
  if (last && spent + predicted > BASELINE_BUDGET_MS) {
    row.baseline = { ms: predicted, estimated: true };
    log(`baseline n=${row.n}: ~${formatTime(predicted)} estimated from n=${last.n} by n² scaling`);
    continue;
  }
  const input = workload(row.n);
  const start = performance.now();
  const ms = predicted > 1000 ? timeOnce(() => seedCoordinate(input.fresh)) : measure(() => seedCoordinate(input.fresh), { budgetMs: 1500 }).median;
  spent += performance.now() - start;
  row.baseline = { ms, estimated: false, conflicts: seedCoordinate(input.fresh).resolved.length };
  last = { n: row.n, ms };
  log(`baseline n=${row.n}: ${formatTime(ms)}`);
}

const fmt = new Intl.NumberFormat('en-US');
console.log(
  table(
    ['n', 'Arbiter (detect + resolve)', 'seed pairwise baseline', 'ratio', 'conflicts (Arbiter)', 'conflicts (baseline)'],
    rows.map(({ n, arbiter, conflicts, baseline }) => [
      fmt.format(n),
      formatTime(arbiter),
      baseline ? (baseline.estimated ? `~${formatTime(baseline.ms)} (est. from n² scaling)` : formatTime(baseline.ms)) : '-',
      baseline ? `${baseline.estimated ? '~' : ''}${fmt.format(Math.round(baseline.ms / arbiter))}×` : '-',
      fmt.format(conflicts),
      baseline?.conflicts !== undefined ? fmt.format(baseline.conflicts) : '-',
    ]),
  ),
);
console.log(
  `\nn=${fmt.format(memory.n)}: heap after one run ${formatBytes(memory.heapAfter)} (result held: ${formatBytes(memory.retained)}), ` +
    `peak heap ${formatBytes(memory.peakHeap)}, peak RSS of the process ${formatBytes(memory.maxRss)}`,
);
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.arch()}, load average at the end ${load}`);

/** Memory for one run at size n: what the heap holds afterwards and the process's peak RSS. */
function peakMemory(n: number) {
  const input = workload(n);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const result = resolveConflicts(input);
  const peakHeap = v8.getHeapStatistics().used_heap_size;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const retained = heapAfter - before;
  if (result.kept.length < 0) log('unreachable'); // keeps `result` alive until here
  return { n, heapAfter, retained, peakHeap, maxRss: process.resourceUsage().maxRSS * 1024 };
}
