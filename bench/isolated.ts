// One measurement in a process of its own: `isolated.ts <arbiter|baseline> <n>` prints a JSON
// line. A fresh process per size keeps V8's decisions from one size (which allocation sites to
// pretenure, which code to optimize) from skewing the next.
import v8 from 'node:v8';
import { resolveConflicts } from '../functions/core/rules/resolution.js';
import { measure, timeOnce } from './measure.js';
import { seedCoordinate } from './pairwise-baseline.js';
import { workload } from './workload.js';

export interface IsolatedResult {
  median: number;
  p95: number;
  best: number;
  conflicts: number;
  /** Arbiter at 100,000 and above: memory of one run. */
  memory?: { heapAfter: number; retained: number; peakHeap: number; maxRss: number; kept: number };
}

const gc = (globalThis as { gc?: () => void }).gc;
const [impl, size] = process.argv.slice(2);
const n = Number(size);
const input = workload(n);
const big = n >= 100_000;

function arbiter(): IsolatedResult {
  const { median, p95, best } = measure(
    () => resolveConflicts(input),
    big ? { minWarmups: 4, budgetMs: 15_000 } : { budgetMs: 3000 },
  );
  // .total: above FULL_PAIR_LIST, `conflicts` lists only a bounded selection of the pairs.
  return { median, p95, best, conflicts: resolveConflicts(input).total, ...(big ? { memory: memoryOfOneRun() } : {}) };
}

function baseline(): IsolatedResult {
  const run = () => seedCoordinate(input.fresh);
  let time: { median: number; p95: number; best: number };
  if (n >= 5000) {
    seedCoordinate(workload(1000).fresh); // warm the code on a smaller batch: one run here takes seconds
    const once = timeOnce(run);
    time = { median: once, p95: once, best: once };
  } else {
    time = measure(run, { budgetMs: 1500 });
  }
  return { median: time.median, p95: time.p95, best: time.best, conflicts: run().resolved.length };
}

/** What one run leaves on the heap (with and without its result) and the process's peak RSS. */
function memoryOfOneRun() {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const result = resolveConflicts(input);
  const peakHeap = v8.getHeapStatistics().used_heap_size;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  return { heapAfter, retained: heapAfter - before, peakHeap, maxRss, kept: result.kept.length }; // `result` is live until here
}

console.log(JSON.stringify(impl === 'baseline' ? baseline() : arbiter()));
