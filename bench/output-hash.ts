// The output of resolveConflicts for the bench workload as a hash, to show an optimisation left it unchanged:
//   node --import tsx bench/output-hash.ts 1000 10000
import { createHash } from 'node:crypto';
import { resolveConflicts } from '../functions/core/rules/resolution.js';
import { workload } from './workload.js';

for (const n of process.argv.slice(2).map(Number)) {
  const { outcomes, conflictCounts, ...rest } = resolveConflicts(workload(n));
  const json = JSON.stringify({ ...rest, outcomes: [...outcomes], conflictCounts: [...conflictCounts] });
  console.log(n, rest.conflicts.length, rest.total, createHash('sha256').update(json).digest('hex'));
}
