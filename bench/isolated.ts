// One measurement in a process of its own: `isolated.ts <arbiter|baseline|memory> <n>` prints a
// JSON line. A fresh process per size keeps V8's decisions from one size (which allocation sites
// to pretenure, which code to optimize) from skewing the next.
import v8 from 'node:v8';
import { type Resolution, resolveConflicts } from '../functions/core/rules/resolution.js';
import { measure, timeOnce } from './measure.js';
import { seedCoordinate } from './pairwise-baseline.js';
import { workload } from './workload.js';

export interface IsolatedResult {
  median: number;
  p95: number;
  best: number;
  conflicts: number;
  /** Peak RSS of this process (for the timing runs: back to back, V8 collecting when it chooses). */
  maxRss: number;
}

export interface MemoryResult {
  /** Heap in use right after the last run, and after a full GC with its result still held. */
  peakHeap: number;
  heapAfter: number;
  /** What the result itself holds. */
  retained: number;
  /** Peak RSS of the process over all its runs, the first (cold) one included. */
  maxRss: number;
  kept: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const [impl, size] = process.argv.slice(2);
const n = Number(size);
const input = workload(n);
const big = n >= 100_000;
const maxRss = () => process.resourceUsage().maxRSS * 1024;

function arbiter(): IsolatedResult {
  const { median, p95, best } = measure(
    () => resolveConflicts(input),
    big ? { minWarmups: 4, budgetMs: 15_000 } : { budgetMs: 3000 },
  );
  // .total: above FULL_PAIR_LIST, `conflicts` lists only a bounded selection of the pairs.
  return { median, p95, best, conflicts: resolveConflicts(input).total, maxRss: maxRss() };
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
  return { ...time, conflicts: run().resolved.length, maxRss: maxRss() };
}

/**
 * Memory of one coordination: a few runs, each after a full GC (as requests that each find the
 * previous one's garbage collected), so the peak is that of one run and not V8's choice of when to
 * collect the garbage of several. The first run is cold, as a new Lambda's first request.
 */
let held: Resolution | undefined;

function memory(): MemoryResult {
  let last: MemoryResult | undefined;
  for (let run = 0; run < 3; run++) {
    held = undefined;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    held = resolveConflicts(input); // alive until measured after the second GC
    const peakHeap = v8.getHeapStatistics().used_heap_size;
    gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    last = { peakHeap, heapAfter, retained: heapAfter - before, maxRss: maxRss(), kept: held.kept.length };
  }
  return last!;
}

console.log(JSON.stringify(impl === 'baseline' ? baseline() : impl === 'memory' ? memory() : arbiter()));
