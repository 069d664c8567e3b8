// CPU time (all threads, the GC's included) and wall time per run of resolveConflicts, from the checkout
// given: on a machine others share, CPU time per run moves less than wall time. For ABBA against main:
//   node --import tsx bench/cpu-per-run.ts /work/main 10000
import { resolve } from 'node:path';
import type { resolveConflicts as Resolve } from '../functions/core/rules/resolution.js';
import { workload } from './workload.js';

const [root = '.', size = '10000', runs = '100'] = process.argv.slice(2);
const module = `${resolve(root)}/functions/core/rules/resolution.ts`;
const { resolveConflicts } = (await import(module)) as { resolveConflicts: typeof Resolve };
const input = workload(Number(size));
for (let i = 0; i < 20; i++) resolveConflicts(input);
const cpu = process.cpuUsage();
const start = performance.now();
for (let i = 0; i < Number(runs); i++) resolveConflicts(input);
const { user, system } = process.cpuUsage(cpu);
const ms = (x: number) => (x / Number(runs)).toFixed(1);
console.log(`${root}: cpu ${ms((user + system) / 1000)} ms/run, wall ${ms(performance.now() - start)} ms/run`);
