// Why bench/measure.ts forces no GC between samples: on Node 20 (V8 11.3) a forced `gc()` throws
// away the engine's optimized code, while a mark-compact V8 starts by itself keeps it. Run:
//   node --import tsx --expose-gc --allow-natives-syntax bench/forced-gc-deopt.ts
import { resolveConflicts } from '../functions/core/rules/resolution.js';
import { workload } from './workload.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc --allow-natives-syntax');
const status = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
const OPTIMIZED = 1 << 4; // V8's OptimizationStatus::kOptimized
const state = () => ((status(resolveConflicts) & OPTIMIZED) !== 0 ? 'optimized' : 'not optimized');
const timed = () => {
  const start = performance.now();
  resolveConflicts(input);
  return `${(performance.now() - start).toFixed(1)} ms`;
};

const input = workload(10_000);
for (let i = 0; i < 20; i++) resolveConflicts(input);
console.log(`warm: resolveConflicts is ${state()}; a run takes ${timed()}`);

// Garbage that outlives the young generation, until V8 runs mark-compacts of its own.
let kept: unknown[] = [];
for (let round = 0; round < 6; round++) {
  for (let i = 0; i < 300_000; i++) kept.push({ i, text: `x${i}` });
  kept = [];
}
console.log(`after mark-compacts V8 chose: ${state()}; a run takes ${timed()}`);

gc();
console.log(`after a forced gc(): ${state()}; the next run takes ${timed()}, then ${timed()}`);
