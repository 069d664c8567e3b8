// What each Lambda bundle is made of, in KB of minified output: the SDK's credential chain, the rest of the SDK,
// zod, other dependencies and Arbiter's own code (esbuild's metafile of the deployed build options).
// `npm run bundle-composition`. The deployed bundles carry lib/lambda-credentials.ts instead of the SDK's default
// credential chain: `-- --default-credentials` measures them with the chain.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleEntries, esbuildOptions } from '../lib/function-defaults.js';

const PARTS: [string, RegExp][] = [
  ['credential chain', /credential-provider|nested-clients|token-providers/],
  ['event streams', /event-streams/],
  ['other SDK', /@aws-sdk|@smithy|@aws\//],
  ['zod', /node_modules\/zod\//],
  ['other deps', /node_modules/],
];
const partOf = (path: string) => PARTS.find(([, pattern]) => pattern.test(path))?.[0] ?? 'arbiter';

const defaultChain = process.argv.includes('--default-credentials');

const { metafile } = await build({
  ...esbuildOptions(),
  ...(defaultChain ? { alias: {} } : {}),
  entryPoints: bundleEntries(),
  outdir: join(tmpdir(), 'arbiter-bundle-composition'),
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const kb = (bytes: number) => (bytes / 1024).toFixed(0);
for (const [file, output] of Object.entries(metafile.outputs)) {
  if (!output.entryPoint) continue;
  const parts: Record<string, number> = {};
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs))
    parts[partOf(path)] = (parts[partOf(path)] ?? 0) + bytesInOutput;
  const listed = Object.entries(parts)
    .sort((a, b) => b[1] - a[1])
    .map(([part, bytes]) => `${part} ${kb(bytes)}`);
  console.log(`${file.split('/').at(-1)?.padEnd(24)} ${kb(output.bytes).padStart(4)} KB: ${listed.join(', ')}`);
}
