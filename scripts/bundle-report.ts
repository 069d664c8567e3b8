// npm run bundle-report [-- --runs 7] [--sdk bundled|external] [--only coordinate,health]
// Bundles every Lambda with the esbuild options the CDK deploys (lib/function-defaults.ts), then prints each
// bundle's minified size, its size without the AWS SDK (what the budget counts) and its cold import time: a fresh
// node process imports the bundle with the NODE_OPTIONS the Lambdas run with; the median of --runs is reported. --sdk overrides BUNDLING's choice of
// bundling the AWS SDK or leaving it to the runtime (it is then resolved from node_modules), to compare the two.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import {
  BUNDLE_BUDGET_BYTES,
  BUNDLING,
  BUNDLING_WITHOUT_SDK,
  bundleEntries,
  esbuildOptions,
  type FunctionName,
  NODE_OPTIONS,
  PROJECT_ROOT,
} from '../lib/function-defaults.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    sdk: { type: 'string' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
if (values.sdk !== undefined && values.sdk !== 'bundled' && values.sdk !== 'external')
  throw new Error('--sdk takes bundled or external');

const bundling =
  values.sdk === 'external'
    ? BUNDLING_WITHOUT_SDK
    : values.sdk === 'bundled'
      ? { ...BUNDLING, bundleAwsSDK: true, externalModules: [] }
      : BUNDLING;
const sdk = bundling.bundleAwsSDK ? 'bundled' : 'left to the runtime';

const entries = bundleEntries();
const names = (values.only ? values.only.split(',') : Object.keys(entries)) as FunctionName[];
for (const name of names) if (!entries[name]) throw new Error(`no function named ${name}`);

// Inside the project, so that an SDK left out resolves from its node_modules as the runtime's would.
const outdir = `${PROJECT_ROOT}cdk.out/bundle-report`;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const entryPoints = Object.fromEntries(names.map((name) => [name, entries[name]]));
await build({ ...esbuildOptions(bundling), entryPoints, outdir, logLevel: 'warning' });

/** What the budget counts: each bundle without the AWS SDK. */
const withoutSdk = new Map<string, number>();
const { outputFiles } = await build({ ...esbuildOptions(BUNDLING_WITHOUT_SDK), entryPoints, outdir, write: false });
for (const file of outputFiles) if (file.path.endsWith('.mjs')) withoutSdk.set(file.path, file.contents.byteLength);

interface ImportTime {
  /** Wall-clock milliseconds: what a cold start waits for. */
  wall: number;
  /** CPU milliseconds of the process (all its threads): steadier than wall time on a busy machine. */
  cpu: number;
}

/** How long a fresh node process takes to import the bundle (not counting node's own start). */
function importTime(file: string): ImportTime {
  const script = `const t = performance.now(); const c = process.cpuUsage();
    await import(${JSON.stringify(pathToFileURL(file).href)});
    const { user, system } = process.cpuUsage(c);
    process.stdout.write(JSON.stringify({ wall: performance.now() - t, cpu: (user + system) / 1000 }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Round-robin over the functions, so that a busy moment of the machine is shared rather than hitting one.
const load = loadavg();
const times = new Map<FunctionName, ImportTime[]>(names.map((name) => [name, []]));
for (let run = 0; run < runs; run++)
  for (const name of names) times.get(name)!.push(importTime(`${outdir}/${name}.mjs`));

const kb = (bytes: number) => (bytes / 1024).toFixed(0);
console.log(`AWS SDK ${sdk}; import: median of ${runs} fresh processes, NODE_OPTIONS=${NODE_OPTIONS}`);
console.log(`load average before the imports: ${load.map((l) => l.toFixed(1)).join(' ')}`);
console.log(
  '| function | minified KB | without the SDK KB | source map KB | import ms | import ms (min–max) | import CPU ms |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
let over = 0;
for (const name of names) {
  const bytes = statSync(`${outdir}/${name}.mjs`).size;
  const own = withoutSdk.get(`${outdir}/${name}.mjs`)!;
  const map = statSync(`${outdir}/${name}.mjs.map`).size;
  const wall = times.get(name)!.map((t) => t.wall);
  const cpu = median(times.get(name)!.map((t) => t.cpu));
  if (own > BUNDLE_BUDGET_BYTES) over++;
  const range = `${Math.min(...wall).toFixed(0)}–${Math.max(...wall).toFixed(0)}`;
  console.log(
    `| ${name} | ${kb(bytes)} | ${kb(own)} | ${kb(map)} | ${median(wall).toFixed(0)} | ${range} | ${cpu.toFixed(0)} |`,
  );
}
console.log(`${over} of ${names.length} over the budget: ${kb(BUNDLE_BUDGET_BYTES)} KB without the SDK`);
