// Before/after on a busy machine: two checkouts' local stacks (each bench/api-coordinate.bench.ts
// --driven, with its own DynamoDB Local) live side by side and take turns, batch by batch, in
// alternating order (ABBA), so that both see the same background load. Only one of them works at a
// time. Prints p50/p99 of every request each side answered, sequentially and with agents at once.
//   node --import tsx bench/api-ab.ts <before dir> <after dir> [--pairs 8] [--seq 25] [--agents 20] [--rounds 2]
// Each dir needs this version of bench/api-coordinate.bench.ts and bench/api-profile.ts (copy them
// into an older checkout).
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';
import { percentile } from './api-profile.js';
import { table } from './measure.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pairs: { type: 'string', default: '8' },
    seq: { type: 'string', default: '25' },
    agents: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
  },
});
if (positionals.length !== 2) throw new Error('usage: api-ab.ts <before dir> <after dir> [options]');
const RECOMMENDATIONS = 10;

interface Side {
  name: string;
  child: ChildProcess;
  lines: AsyncIterator<string>;
  input: Interface;
  seq: number[];
  burst: number[];
  burstWallMs: number;
  overloaded: number;
  /** p50 of each sequential batch, to pair with the other side's batch next to it. */
  seqP50s: number[];
}

function start(name: string, dir: string): Side {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-coordinate.bench.ts', '--driven'], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const input = createInterface({ input: child.stdout! });
  // A side that died is reported by its own stderr; writing to it must not kill this process.
  child.stdin!.on('error', () => undefined);
  const lines = input[Symbol.asyncIterator]();
  return { name, child, input, lines, seq: [], burst: [], burstWallMs: 0, overloaded: 0, seqP50s: [] };
}

interface Answer {
  times: number[];
  wallMs: number;
  overloaded: number;
}

async function answer(side: Side): Promise<Partial<Answer>> {
  for (;;) {
    const { value, done } = await side.lines.next();
    if (done) throw new Error(`${side.name} ended`);
    if (value.startsWith('@ab ')) return JSON.parse(value.slice(4)) as Partial<Answer>;
  }
}

async function ask(side: Side, command: string): Promise<Answer> {
  side.child.stdin!.write(`${command}\n`);
  const { times = [], wallMs = 0, overloaded = 0 } = await answer(side);
  side.overloaded += overloaded;
  return { times, wallMs, overloaded };
}

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const ms = (value: number) => `${value.toFixed(1)} ms`;

const sides = [start('before', positionals[0]), start('after', positionals[1])];
try {
  await Promise.all(sides.map(answer)); // ready: warmed up
  for (let pair = 0; pair < Number(args.pairs); pair++) {
    const order = pair % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const { times } = await ask(side, `seq ${args.seq}`);
      side.seq.push(...times);
      side.seqP50s.push(median(times));
    }
    for (const side of order) {
      const { times, wallMs } = await ask(side, `burst ${args.agents} ${args.rounds}`);
      side.burst.push(...times);
      side.burstWallMs += wallMs;
    }
  }
  const rows = sides.map((side) => {
    const seq = [...side.seq].sort((a, b) => a - b);
    const burst = [...side.burst].sort((a, b) => a - b);
    return [
      side.name,
      ms(percentile(seq, 0.5)),
      ms(percentile(seq, 0.99)),
      ms(percentile(burst, 0.5)),
      ms(percentile(burst, 0.99)),
      ((burst.length * RECOMMENDATIONS) / (side.burstWallMs / 1000)).toFixed(0),
      String(side.overloaded),
    ];
  });
  console.log(
    `\n${args.pairs} pairs of turns: ${args.seq} coordinates one after another, then ${args.agents} agents × ${args.rounds} at once\n`,
  );
  console.log(
    table(
      ['side', 'sequential p50', 'sequential p99', `${args.agents} agents p50`, 'p99', 'recommendations/s', '503/504'],
      rows,
    ),
  );
  const ratios = sides[1].seqP50s.map((after, i) => after / sides[0].seqP50s[i]);
  console.log(`\nafter/before, median of the paired sequential p50s: ${median(ratios).toFixed(2)}`);
} finally {
  for (const side of sides) {
    side.child.stdin!.end('quit\n');
    side.input.close();
  }
  await Promise.all(
    sides.map((side) =>
      side.child.exitCode === null ? new Promise((resolve) => side.child.once('exit', resolve)) : undefined,
    ),
  );
}
