// Conflict detection. Pairs are found through a resource index (and an action index for
// recommendations that name no resources), so the cost grows with the overlaps, not with n².
import { contradicts, opposites } from './actions.js';
import { findCycles } from './dependencies.js';
import type { ConflictType, Severity } from './model.js';
import { RISK_RANK, type Rankable } from './ranking.js';
import type { FreezeWindow, RecommendationStatus, TimeWindow } from './schemas.js';

export interface Candidate extends Rankable {
  action: string;
  affected_resources: readonly string[];
  dependencies: readonly string[];
  expires_at?: string;
  window?: TimeWindow;
}

export interface ActiveCandidate extends Candidate {
  status: RecommendationStatus;
}

export interface DetectionInput {
  /** The recommendations of this request. */
  fresh: readonly Candidate[];
  /** The customer's active recommendations from earlier requests. */
  active: readonly ActiveCandidate[];
  /** Status of every other id known for the customer (dependencies may point at them). */
  known: ReadonlyMap<string, RecommendationStatus>;
  freezeWindows: readonly FreezeWindow[];
  now: Date;
}

/**
 * A detected conflict. `nodes` index into [...fresh, ...active]; pair conflicts have two,
 * dependency cycles all their members, unknown-dependency and timing conflicts one.
 */
export interface DetectedConflict {
  type: ConflictType;
  nodes: number[];
  description: string;
  severity: Severity;
  conflicting_field: 'affected_resources' | 'action' | 'dependencies' | 'window';
}

export type Ineligibility = { status: 'rejected' | 'expired' | 'cancelled'; reason: string };

export interface Detection {
  conflicts: DetectedConflict[];
  /** For each node, the nodes it conflicts with pairwise (resource or action). */
  neighbours: number[][];
  /** Fresh nodes that cannot be kept whatever the ranking says (timing, cycles, unknown dependencies). */
  ineligible: Map<number, Ineligibility>;
}

const SEVERITY_BY_RISK: Severity[] = ['low', 'medium', 'high', 'high'];

function severityOf(...recs: Rankable[]): Severity {
  return SEVERITY_BY_RISK[Math.max(...recs.map((r) => RISK_RANK[r.risk_level]))];
}

export function detectConflicts(input: DetectionInput): Detection {
  const nodes: Candidate[] = [...input.fresh, ...input.active];
  const freshCount = input.fresh.length;
  const conflicts: DetectedConflict[] = [];
  const neighbours: number[][] = Array.from({ length: nodes.length }, () => []);
  const ineligible = new Map<number, Ineligibility>();

  findPairConflicts(nodes, freshCount, conflicts, neighbours);
  const edges = findDependencyConflicts(input, conflicts, ineligible);
  findTimingConflicts(input, conflicts, ineligible);
  blockDependents(input.fresh, edges, ineligible);
  return { conflicts, neighbours, ineligible };
}

function findPairConflicts(nodes: Candidate[], freshCount: number, out: DetectedConflict[], neighbours: number[][]) {
  const total = nodes.length;
  // Only pairs with at least one fresh node: the active ones were settled when they arrived.
  const counts = (a: number, b: number) => a < freshCount || b < freshCount;
  const shared = new Map<number, string[]>();
  const byResource = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    for (const resource of node.affected_resources) {
      const list = byResource.get(resource);
      if (list) list.push(i);
      else byResource.set(resource, [i]);
    }
  });
  for (const [resource, list] of byResource) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const a = list[x];
        const b = list[y];
        if (!counts(a, b)) continue;
        const key = a * total + b;
        const resources = shared.get(key);
        if (resources) resources.push(resource);
        else shared.set(key, [resource]);
      }
    }
  }

  const actionPairs = new Set<number>();
  for (const [key, resources] of shared) {
    const a = Math.floor(key / total);
    const b = key - a * total;
    const [first, second] = byId(nodes, a, b);
    resources.sort();
    neighbours[a].push(b);
    neighbours[b].push(a);
    out.push({
      type: 'resource',
      nodes: [first, second],
      description: `Both recommendations affect resources: [${resources.join(' ')}]`,
      severity: severityOf(nodes[a], nodes[b]),
      conflicting_field: 'affected_resources',
    });
    if (contradicts(nodes[a].action, nodes[b].action)) actionPairs.add(key);
  }

  // Contradictory actions also clash when either side names no resources: it may touch anything.
  const byAction = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    if (opposites(node.action).length === 0) return;
    const list = byAction.get(node.action);
    if (list) list.push(i);
    else byAction.set(node.action, [i]);
  });
  nodes.forEach((node, i) => {
    if (node.affected_resources.length > 0) return;
    for (const opposite of opposites(node.action)) {
      for (const j of byAction.get(opposite) ?? []) {
        if (j === i || !counts(i, j)) continue;
        const key = Math.min(i, j) * total + Math.max(i, j);
        if (actionPairs.has(key)) continue;
        actionPairs.add(key);
        neighbours[i].push(j);
        neighbours[j].push(i);
      }
    }
  });
  for (const key of actionPairs) {
    const a = Math.floor(key / total);
    const b = key - a * total;
    const [first, second] = byId(nodes, a, b);
    out.push({
      type: 'action',
      nodes: [first, second],
      description: `Contradictory actions: ${nodes[first].action} vs ${nodes[second].action}`,
      severity: 'high',
      conflicting_field: 'action',
    });
  }
}

function byId(nodes: Candidate[], a: number, b: number): [number, number] {
  return nodes[a].id < nodes[b].id ? [a, b] : [b, a];
}

const SETTLED_OK: ReadonlySet<RecommendationStatus> = new Set(['pending_approval', 'approved', 'waiting_dependencies', 'executing', 'completed']);

function findDependencyConflicts(input: DetectionInput, out: DetectedConflict[], ineligible: Map<number, Ineligibility>): number[][] {
  const { fresh, known } = input;
  const batchIndex = new Map(fresh.map((r, i) => [r.id, i]));
  const edges: number[][] = fresh.map(() => []);
  fresh.forEach((rec, i) => {
    for (const dep of rec.dependencies) {
      const j = batchIndex.get(dep);
      if (j !== undefined) {
        edges[i].push(j);
        continue;
      }
      const status = known.get(dep);
      if (status === undefined) {
        out.push({
          type: 'dependency',
          nodes: [i],
          description: `Depends on unknown recommendation ${dep}`,
          severity: severityOf(rec),
          conflicting_field: 'dependencies',
        });
        ineligible.set(i, { status: 'cancelled', reason: `dependency ${dep} is unknown for this customer` });
      } else if (!SETTLED_OK.has(status)) {
        ineligible.set(i, { status: 'cancelled', reason: `dependency ${dep} is ${status}` });
      }
    }
  });

  for (const cycle of findCycles(edges)) {
    const members = cycle.map((i) => fresh[i]).sort((a, b) => (a.id < b.id ? -1 : 1));
    const ids = members.map((m) => m.id);
    out.push({
      type: 'dependency',
      nodes: members.map((m) => batchIndex.get(m.id)!),
      description: describeCycle(members.map((m) => batchIndex.get(m.id)!), edges, fresh),
      severity: severityOf(...members),
      conflicting_field: 'dependencies',
    });
    for (const i of cycle) ineligible.set(i, { status: 'rejected', reason: `in a dependency cycle with ${ids.join(', ')}` });
  }
  return edges;
}

/** Whatever depends, directly or not, on an ineligible recommendation of the batch cannot run either. */
function blockDependents(fresh: readonly Candidate[], edges: number[][], ineligible: Map<number, Ineligibility>) {
  const dependents: number[][] = fresh.map(() => []);
  edges.forEach((deps, i) => deps.forEach((d) => dependents[d].push(i)));
  const queue = [...ineligible.keys()];
  for (let next = 0; next < queue.length; next++) {
    const blocked = queue[next];
    for (const d of dependents[blocked]) {
      if (ineligible.has(d)) continue;
      ineligible.set(d, { status: 'cancelled', reason: `dependency ${fresh[blocked].id} was not kept` });
      queue.push(d);
    }
  }
}

/**
 * A simple cycle is shown as its path from the smallest id (`a -> c -> b -> a`); a tangle of
 * several cycles has no single path, so its members are listed. `members` are sorted by id.
 */
function describeCycle(members: number[], edges: number[][], fresh: readonly Candidate[]): string {
  const inCycle = new Set(members);
  const next = members.map((i) => [...new Set(edges[i].filter((j) => inCycle.has(j)))]);
  if (next.some((deps) => deps.length !== 1)) return `Circular dependencies among ${members.map((i) => fresh[i].id).join(', ')}`;
  const nextOf = new Map(members.map((i, k) => [i, next[k][0]]));
  const path = [members[0]];
  for (let i = nextOf.get(members[0])!; i !== members[0]; i = nextOf.get(i)!) path.push(i);
  return `Circular dependency: ${[...path, members[0]].map((i) => fresh[i].id).join(' -> ')}`;
}

function findTimingConflicts(input: DetectionInput, out: DetectedConflict[], ineligible: Map<number, Ineligibility>) {
  const now = input.now.getTime();
  input.fresh.forEach((rec, i) => {
    const timing = timingProblem(rec, now, input.freezeWindows);
    if (!timing) return;
    out.push({ type: 'timing', nodes: [i], description: timing.description, severity: severityOf(rec), conflicting_field: 'window' });
    // A timing problem outranks a dependency one: it is about the recommendation itself.
    ineligible.set(i, { status: timing.status, reason: timing.description });
  });
}

function timingProblem(rec: Candidate, now: number, freezes: readonly FreezeWindow[]) {
  if (rec.expires_at && Date.parse(rec.expires_at) <= now) {
    return { status: 'expired' as const, description: `Expired at ${rec.expires_at}` };
  }
  const notAfter = rec.window?.not_after;
  if (notAfter && Date.parse(notAfter) <= now) {
    return { status: 'expired' as const, description: `Window closed at ${notAfter}` };
  }
  if (!notAfter) return undefined;
  const start = Math.max(now, rec.window?.not_before ? Date.parse(rec.window.not_before) : now);
  const end = Date.parse(notAfter);
  const freeze = freezes.find((f) => Date.parse(f.start) <= start && end <= Date.parse(f.end));
  if (!freeze) return undefined;
  return { status: 'rejected' as const, description: `Window lies inside change freeze '${freeze.name}' (${freeze.start} to ${freeze.end})` };
}
