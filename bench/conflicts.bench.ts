// Conflict detection + resolution: Arbiter's indexed core against a port of the seed's pairwise
// approach, on the same generated batches. Run with `npm run bench`. Each size is measured in a
// process of its own (bench/isolated.ts); the baseline is measured while its total stays within
// budget and extrapolated by n² beyond.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { NODE_OPTIONS } from '../lib/node-options.js';
import type { IsolatedResult, MemoryResult } from './isolated.js';
import { formatBytes, formatTime, table } from './measure.js';

const SIZES = [10, 100, 1_000, 10_000, 100_000];
const BASELINE_BUDGET_MS = 60_000;
/** Sizes whose memory is measured too. */
const MEMORY_FROM = 100_000;
const CHILD = fileURLToPath(new URL('./isolated.ts', import.meta.url));

const log = (line: string) => process.stderr.write(`${line}\n`);

// The engine runs in the coordinate Lambda: by default each size runs with the node flags the Lambdas start with
// (lib/node-options.ts); `-- --node-defaults` measures with node's own defaults instead.
const nodeOptions = process.argv.includes('--node-defaults') ? '' : NODE_OPTIONS;
log(`NODE_OPTIONS for each size: ${nodeOptions || "(node's defaults)"}`);

function isolated<T = IsolatedResult>(impl: 'arbiter' | 'baseline' | 'memory', n: number): T {
  const child = spawnSync(process.execPath, [...process.execArgv, CHILD, impl, String(n)], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${impl} n=${n} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as T;
}

const arbiter = SIZES.map((n) => {
  const result = isolated('arbiter', n);
  log(
    `arbiter  n=${n}: ${formatTime(result.median)} per run (p95 ${formatTime(result.p95)}, best ${formatTime(result.best)}), ${result.conflicts} conflicts`,
  );
  return result;
});

let spent = 0;
let last: { n: number; ms: number } | undefined;
const baseline = SIZES.map((n) => {
  const predicted = last ? last.ms * (n / last.n) ** 2 : 0;
  if (last && spent + predicted > BASELINE_BUDGET_MS) {
    log(`baseline n=${n}: ~${formatTime(predicted)}, extrapolated from n=${last.n} by n² scaling`);
    return { ms: predicted, estimated: true };
  }
  const start = performance.now();
  const result = isolated('baseline', n);
  spent += performance.now() - start;
  last = { n, ms: result.median };
  log(`baseline n=${n}: ${formatTime(result.median)}`);
  return { ms: result.median, estimated: false, conflicts: result.conflicts };
});

const fmt = new Intl.NumberFormat('en-US');
console.log(
  table(
    [
      'n',
      'Arbiter (detect + resolve), median',
      'p95',
      'best run',
      'seed pairwise baseline',
      'ratio (medians)',
      'conflicts (Arbiter)',
      'conflicts (baseline)',
    ],
    SIZES.map((n, i) => {
      const [a, b] = [arbiter[i], baseline[i]];
      return [
        fmt.format(n),
        formatTime(a.median),
        formatTime(a.p95),
        formatTime(a.best),
        b.estimated ? `~${formatTime(b.ms)} (est. from n² scaling)` : formatTime(b.ms),
        `${b.estimated ? '~' : ''}${fmt.format(Math.round(b.ms / a.median))}×`,
        fmt.format(a.conflicts),
        b.conflicts !== undefined ? fmt.format(b.conflicts) : '-',
      ];
    }),
  ),
);
for (const [i, n] of SIZES.entries()) {
  if (n < MEMORY_FROM) continue;
  const memory = isolated<MemoryResult>('memory', n);
  console.log(
    `\nn=${fmt.format(n)}: peak RSS ${formatBytes(memory.maxRss)} in a process of its own that runs it 3 times, ` +
      `each after a full GC (heap ${formatBytes(memory.peakHeap)} in use right after a run, ${formatBytes(memory.heapAfter)} ` +
      `after GC with the result held, ${formatBytes(memory.retained)} of it the result); the timing process, its runs ` +
      `back to back with V8 collecting when it chooses, peaked at ${formatBytes(arbiter[i].maxRss)}`,
  );
}
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.arch()}, load average at the end ${load}`,
);
