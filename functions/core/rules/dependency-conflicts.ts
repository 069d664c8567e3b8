// Dependency conflicts of a batch: dependencies on unknown recommendations, on ones that ended
// badly, and cycles; and what depends, directly or not, on a recommendation that cannot run.

import type { RecommendationStatus } from '../model/statuses.js';
import type { BatchIndex } from './batch-index.js';
import type { Candidate, DetectedConflict, DetectionInput, Ineligibility } from './conflicts.js';
import { findCycles } from './dependency-graph.js';
import { severityOfRisk } from './pair-conflicts.js';

const SETTLED_OK: ReadonlySet<RecommendationStatus> = new Set([
  'pending_approval',
  'approved',
  'waiting_dependencies',
  'waiting_resources',
  'executing',
  'completed',
]);

/** Most recommendations depend on nothing in the batch: they share this list. */
const NO_EDGES: readonly number[] = Object.freeze([]);

/** Adds the dependency conflicts to `out`; returns each fresh node's dependencies within the fresh ones. */
export function findDependencyConflicts(
  input: DetectionInput,
  batch: BatchIndex,
  out: DetectedConflict[],
  ineligible: Map<number, Ineligibility>,
): (readonly number[])[] {
  const { fresh, known } = input;
  const { freshCount, firstDependency, dependsOn, risk } = batch;
  const edges: (readonly number[])[] = new Array(fresh.length);
  for (let i = 0; i < fresh.length; i++) {
    const deps = fresh[i].dependencies;
    let own: number[] | undefined;
    for (let k = 0; k < deps.length; k++) {
      const j = dependsOn[firstDependency[i] + k];
      if (j !== -1 && j < freshCount) {
        (own ??= []).push(j);
        continue;
      }
      const dep = deps[k];
      const status = known.get(dep);
      if (status === undefined) {
        out.push({
          type: 'dependency',
          nodes: [i],
          description: `Depends on unknown recommendation ${dep}`,
          severity: severityOfRisk(risk[i]),
          conflicting_field: 'dependencies',
        });
        ineligible.set(i, { status: 'cancelled', reason: `dependency ${dep} is unknown for this customer` });
      } else if (!SETTLED_OK.has(status)) {
        ineligible.set(i, { status: 'cancelled', reason: `dependency ${dep} is ${status}` });
      }
    }
    edges[i] = own ?? NO_EDGES;
  }

  for (const cycle of findCycles(edges)) {
    const members = [...cycle].sort((a, b) => (fresh[a].id < fresh[b].id ? -1 : 1));
    const ids = members.map((m) => fresh[m].id);
    let highest = 0;
    for (const m of members) highest = Math.max(highest, risk[m]);
    out.push({
      type: 'dependency',
      nodes: members,
      description: describeCycle(members, edges, fresh),
      severity: severityOfRisk(highest),
      conflicting_field: 'dependencies',
    });
    for (const i of cycle)
      ineligible.set(i, { status: 'rejected', reason: `in a dependency cycle with ${ids.join(', ')}` });
  }
  return edges;
}

/** Whatever depends, directly or not, on an ineligible recommendation of the batch cannot run either. */
export function blockDependents(
  fresh: readonly Candidate[],
  edges: (readonly number[])[],
  ineligible: Map<number, Ineligibility>,
) {
  if (ineligible.size === 0) return;
  const dependents: (number[] | undefined)[] = new Array(fresh.length);
  for (let i = 0; i < edges.length; i++) {
    for (let k = 0; k < edges[i].length; k++) (dependents[edges[i][k]] ??= []).push(i);
  }
  const stopped = new Uint8Array(fresh.length);
  const queue = [...ineligible.keys()];
  for (const i of queue) stopped[i] = 1;
  const blocked: number[] = [];
  for (let next = 0; next < queue.length; next++) {
    for (const d of dependents[queue[next]] ?? NO_EDGES) {
      if (stopped[d]) continue;
      stopped[d] = 1;
      queue.push(d);
      blocked.push(d);
    }
  }
  // Name the first stopped dependency in the recommendation's own list, whatever the batch order,
  // and what stopped it ("dependency b was expired: Expired at …"). That dependency may itself be
  // blocked further down the queue, so its reason is settled first (blocked ones form no cycle:
  // cycle members are ineligible from the start).
  const isBlocked = new Uint8Array(fresh.length);
  for (const d of blocked) isBlocked[d] = 1;
  const settle = (d: number): void => {
    if (!isBlocked[d] || ineligible.has(d)) return;
    const dep = edges[d].find((j) => stopped[j])!;
    settle(dep);
    const why = ineligible.get(dep);
    ineligible.set(d, {
      status: 'cancelled',
      reason: why
        ? `dependency ${fresh[dep].id} was ${why.status}: ${why.reason}`
        : `dependency ${fresh[dep].id} was not kept`,
    });
  };
  for (const d of blocked) settle(d);
}

/**
 * A simple cycle is shown as its path from the smallest id (`a -> c -> b -> a`); a tangle of
 * several cycles has no single path, so its members are listed. `members` are sorted by id.
 */
function describeCycle(members: number[], edges: (readonly number[])[], fresh: readonly Candidate[]): string {
  const inCycle = new Set(members);
  const next = members.map((i) => [...new Set(edges[i].filter((j) => inCycle.has(j)))]);
  if (next.some((deps) => deps.length !== 1))
    return `Circular dependencies among ${members.map((i) => fresh[i].id).join(', ')}`;
  const nextOf = new Map(members.map((i, k) => [i, next[k][0]]));
  const path = [members[0]];
  for (let i = nextOf.get(members[0])!; i !== members[0]; i = nextOf.get(i)!) path.push(i);
  return `Circular dependency: ${[...path, members[0]].map((i) => fresh[i].id).join(' -> ')}`;
}
