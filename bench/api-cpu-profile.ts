// Where this process's CPU went, from a V8 CPU profile (bench/api-coordinate.bench.ts --cpu-profile):
// self time by the code that ran it (a folder of functions/ or local/, or a package), and by the
// nearest Arbiter or local/ frame on its stack, so that a package's time is charged to whoever
// called it (the SDK called by an adapter counts for the adapter; a socket read, which no frame of
// ours called, stays with the package or node:).
//   node --import tsx bench/api-cpu-profile.ts <file.cpuprofile>
import { readFileSync } from 'node:fs';
import { table } from './measure.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `functions/core`, `local/step-functions`, `pkg @smithy/core`, `node:`, or V8's own `(garbage collector)`. */
export function codeOf({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg ${pkg[1]}`;
  const ours = /\/((?:functions|local)\/[^/]+|bench)/.exec(url);
  return ours ? ours[1].replace(/\.ts$/, '') : url;
}

const isOurs = (code: string) => code.startsWith('functions/') || code.startsWith('local/') || code === 'bench';

export function summarize(profile: CpuProfile): { byCode: Map<string, number>; byOwner: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const owners = new Map<number, string | undefined>();
  const ownerOf = (id: number): string | undefined => {
    if (owners.has(id)) return owners.get(id);
    const code = codeOf(nodes.get(id)!.callFrame);
    const parent = parents.get(id);
    const owner = isOurs(code) ? code : parent === undefined ? undefined : ownerOf(parent);
    owners.set(id, owner);
    return owner;
  };
  const byCode = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const [id, ms] of self) {
    const code = codeOf(nodes.get(id)!.callFrame);
    byCode.set(code, (byCode.get(code) ?? 0) + ms);
    const owner = ownerOf(id) ?? `${code} (no frame of ours)`;
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
  }
  return { byCode, byOwner };
}

function rows(times: Map<string, number>, top = 25): string[][] {
  const busy = [...times].filter(([code]) => code !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([code, ms]) => [code, `${ms.toFixed(0)} ms`, code === '(idle)' ? '' : `${((100 * ms) / busy).toFixed(1)} %`]);
}

if (process.argv[1]?.endsWith('api-cpu-profile.ts')) {
  const { byCode, byOwner } = summarize(JSON.parse(readFileSync(process.argv[2], 'utf8')) as CpuProfile);
  console.log(table(['self time in', 'ms', 'of busy'], rows(byCode)));
  console.log();
  console.log(table(['charged to', 'ms', 'of busy'], rows(byOwner)));
}
