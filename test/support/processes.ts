// Finding DynamoDB Local's java in the process tree the local stack started (Linux /proc).
import { readFileSync } from 'node:fs';

const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

/** The java process below the started one (unshare → relay → java, or java itself). */
export function javaUnder(pid: number): number {
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    if (readFileSync(`/proc/${next}/comm`, 'utf8').trim() === 'java') return next;
    queue.push(...childrenOf(next));
  }
  throw new Error(`no java below ${pid}`);
}
