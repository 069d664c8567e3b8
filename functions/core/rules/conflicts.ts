// Conflict detection. Pairs are found through a resource index (and an action index for
// recommendations that name no resources), so the cost grows with the overlaps, not with n².

import type { FreezeWindow, TimeWindow } from '../model/inputs.js';
import type { ConflictType, Severity } from '../model/records.js';
import type { RecommendationStatus } from '../model/statuses.js';
import { contradicts, opposites } from './contradictory-actions.js';
import { findCycles } from './dependency-graph.js';
import { type Rankable, RISK_RANK } from './ranking.js';

export interface Candidate extends Rankable {
  action: string;
  affected_resources: readonly string[];
  dependencies: readonly string[];
  expires_at?: string;
  window?: TimeWindow;
}

export interface ActiveCandidate extends Candidate {
  status: RecommendationStatus;
  /** Approved by people (not by policy): like an executing one, no newcomer displaces it. */
  approved_by_people?: boolean;
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
  /** Dependency and timing conflicts, and the pair conflicts too when there are at most FULL_PAIR_LIST of them. */
  conflicts: DetectedConflict[];
  /** Whether `conflicts` lists every conflict; if not, pair conflicts are built on demand (pairConflicts). */
  complete: boolean;
  /** For each node, the nodes it conflicts with pairwise (resource or action). */
  neighbours: number[][];
  /** Fresh nodes that cannot be kept whatever the ranking says (timing, cycles, unknown dependencies). */
  ineligible: Map<number, Ineligibility>;
  /** How many conflicts each node is part of, listed or not. */
  conflictCount: Int32Array;
  /** How many conflicts there are in all, listed or not. */
  total: number;
  /** The conflicts (resource and/or action) between two linked nodes. */
  pairConflicts(a: number, b: number): DetectedConflict[];
}

/**
 * Pair conflicts grow with the square of a crowd on one resource (1,000 on one: 499,500). Up to
 * this many they are all listed; beyond, only counted, and resolution lists a bounded selection.
 */
export const FULL_PAIR_LIST = 5_000;

const SEVERITY_BY_RISK: Severity[] = ['low', 'medium', 'high', 'high'];

function severityOf(...recs: Rankable[]): Severity {
  let highest = 0;
  for (const r of recs) highest = Math.max(highest, RISK_RANK[r.risk_level]);
  return SEVERITY_BY_RISK[highest];
}

export function detectConflicts(input: DetectionInput): Detection {
  const nodes: Candidate[] = [...input.fresh, ...input.active];
  const freshCount = input.fresh.length;
  const conflicts: DetectedConflict[] = [];
  const neighbours: number[][] = Array.from({ length: nodes.length }, () => []);
  const ineligible = new Map<number, Ineligibility>();
  const conflictCount = new Int32Array(nodes.length);

  const pairTotal = findPairConflicts(nodes, freshCount, neighbours, conflictCount);
  const edges = findDependencyConflicts(input, conflicts, ineligible);
  findTimingConflicts(input, conflicts, ineligible);
  blockDependents(input.fresh, edges, ineligible);
  for (const c of conflicts) for (const m of c.nodes) conflictCount[m]++;
  const total = pairTotal + conflicts.length;

  const describe = resourceDescriptions();
  const pairConflicts = (a: number, b: number): DetectedConflict[] => {
    const [first, second] = byId(nodes, a, b);
    const inSecond = new Set(nodes[second].affected_resources);
    const shared = nodes[first].affected_resources.filter((r) => inSecond.has(r));
    const found: DetectedConflict[] = [];
    if (shared.length > 0) {
      found.push({
        type: 'resource',
        nodes: [first, second],
        description: describe(shared.length === 1 ? shared[0] : shared),
        severity: severityOf(nodes[a], nodes[b]),
        conflicting_field: 'affected_resources',
      });
    }
    if (contradicts(nodes[a].action, nodes[b].action)) found.push(actionConflict(nodes, a, b));
    return found;
  };
  const complete = pairTotal <= FULL_PAIR_LIST;
  if (complete) {
    neighbours.forEach((near, a) => {
      for (const b of near) if (a < b) conflicts.push(...pairConflicts(a, b));
    });
  }
  return { conflicts, complete, neighbours, ineligible, conflictCount, total, pairConflicts };
}

/** Links every pair in conflict (resource or action) and counts their conflicts; returns the count. */
function findPairConflicts(
  nodes: Candidate[],
  freshCount: number,
  neighbours: number[][],
  conflictCount: Int32Array,
): number {
  const index = resourceIndex(nodes);
  const ordered = dependencyRelation(nodes);
  let total = 0;
  const count = (a: number, b: number, n: number) => {
    // A recommendation and its dependencies (direct or not) are ordered, not rivals: the locks serialise them.
    if (ordered(a, b)) return;
    link(a, b, neighbours);
    conflictCount[a] += n;
    conflictCount[b] += n;
    total += n;
  };
  // Only pairs with a fresh node count: the active ones were settled when they arrived. Nodes are
  // [...fresh, ...active], so each pair is found once, from its smaller index a, which is fresh.
  // `metBy[b] === a` says b was already met while scanning a.
  const metBy = new Int32Array(nodes.length).fill(-1);
  for (let a = 0; a < freshCount; a++) {
    for (let r = index.firstOfNode[a]; r < index.firstOfNode[a + 1]; r++) {
      const resource = index.resourceOf[r];
      for (
        let k = index.firstOfResource[resource + 1] - 1;
        k >= index.firstOfResource[resource] && index.nodesOf[k] > a;
        k--
      ) {
        const b = index.nodesOf[k];
        if (metBy[b] === a) continue;
        metBy[b] = a;
        count(a, b, contradicts(nodes[a].action, nodes[b].action) ? 2 : 1);
      }
    }
  }

  // Contradictory actions also clash when either side names no resources: it may touch anything.
  // Such a pair shares no resource, so it was not found above; between two such nodes, once.
  const byAction = indexBy(nodes, (node) => (opposites(node.action).length > 0 ? [node.action] : []));
  nodes.forEach((node, i) => {
    if (node.affected_resources.length > 0) return;
    for (const opposite of opposites(node.action)) {
      for (const j of byAction.get(opposite) ?? []) {
        if ((i >= freshCount && j >= freshCount) || (nodes[j].affected_resources.length === 0 && j < i)) continue;
        count(i, j, 1);
      }
    }
  });
  return total;
}

/**
 * Whether one of two nodes depends on the other, directly or through others among the nodes. Only
 * nodes with dependencies get an ancestor set (most have none), built once.
 */
function dependencyRelation(nodes: Candidate[]): (a: number, b: number) => boolean {
  const indexOf = new Map<string, number>();
  for (const [i, n] of nodes.entries()) indexOf.set(n.id, i);
  const ancestors = new Map<number, Set<number>>();
  nodes.forEach((node, i) => {
    if (node.dependencies.length === 0) return;
    const seen = new Set<number>();
    const stack = [i];
    while (stack.length > 0) {
      for (const dep of nodes[stack.pop()!].dependencies) {
        const j = indexOf.get(dep);
        if (j === undefined || seen.has(j)) continue;
        seen.add(j);
        stack.push(j);
      }
    }
    ancestors.set(i, seen);
  });
  if (ancestors.size === 0) return () => false;
  return (a, b) => ancestors.get(a)?.has(b) === true || ancestors.get(b)?.has(a) === true;
}

/** Descriptions are stored with both recommendations: a pair sharing hundreds of resources names the first few. */
const LISTED_RESOURCES = 20;

function listed(resources: string[]): string {
  const shown = resources.slice(0, LISTED_RESOURCES).join(' ');
  return resources.length > LISTED_RESOURCES ? `${shown} … and ${resources.length - LISTED_RESOURCES} more` : shown;
}

/** The description of a resource conflict; pairs sharing just one resource share its text. */
function resourceDescriptions(): (shared: string | string[]) => string {
  const byResource = new Map<string, string>();
  return (shared) => {
    if (typeof shared !== 'string') return `Both recommendations affect resources: [${listed(shared.sort())}]`;
    let text = byResource.get(shared);
    if (text === undefined) byResource.set(shared, (text = `Both recommendations affect resources: [${shared}]`));
    return text;
  };
}

/**
 * Which nodes name which resource, as flat arrays: resource numbers `resourceOf[firstOfNode[i] ..
 * firstOfNode[i + 1])` for node i, and node indexes `nodesOf[firstOfResource[r] .. firstOfResource[r + 1])`,
 * ascending, for resource number r, whose name is `resources[r]`.
 */
function resourceIndex(nodes: Candidate[]) {
  const numbers = new Map<string, number>();
  const resources: string[] = [];
  const firstOfNode = new Int32Array(nodes.length + 1);
  const named: number[] = [];
  nodes.forEach((node, i) => {
    firstOfNode[i] = named.length;
    for (const resource of node.affected_resources) {
      let r = numbers.get(resource);
      if (r === undefined) numbers.set(resource, (r = resources.push(resource) - 1));
      named.push(r);
    }
  });
  firstOfNode[nodes.length] = named.length;
  const resourceOf = Int32Array.from(named);
  const firstOfResource = new Int32Array(resources.length + 1);
  for (const r of resourceOf) firstOfResource[r + 1]++;
  for (let r = 0; r < resources.length; r++) firstOfResource[r + 1] += firstOfResource[r];
  const filled = firstOfResource.slice(0, resources.length);
  const nodesOf = new Int32Array(resourceOf.length);
  for (let i = 0; i < nodes.length; i++) {
    for (let k = firstOfNode[i]; k < firstOfNode[i + 1]; k++) nodesOf[filled[resourceOf[k]]++] = i;
  }
  return { resources, resourceOf, firstOfNode, nodesOf, firstOfResource };
}

/** Node indexes by each key they list, in index order. */
function indexBy(nodes: Candidate[], keys: (node: Candidate) => readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    for (const key of keys(node)) {
      const list = index.get(key);
      if (!list) index.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  return index;
}

function link(a: number, b: number, neighbours: number[][]) {
  neighbours[a].push(b);
  neighbours[b].push(a);
}

function actionConflict(nodes: Candidate[], a: number, b: number): DetectedConflict {
  const [first, second] = byId(nodes, a, b);
  return {
    type: 'action',
    nodes: [first, second],
    description: `Contradictory actions: ${nodes[first].action} vs ${nodes[second].action}`,
    severity: 'high',
    conflicting_field: 'action',
  };
}

function byId(nodes: Candidate[], a: number, b: number): [number, number] {
  return nodes[a].id < nodes[b].id ? [a, b] : [b, a];
}

const SETTLED_OK: ReadonlySet<RecommendationStatus> = new Set([
  'pending_approval',
  'approved',
  'waiting_dependencies',
  'waiting_resources',
  'executing',
  'completed',
]);

function findDependencyConflicts(
  input: DetectionInput,
  out: DetectedConflict[],
  ineligible: Map<number, Ineligibility>,
): number[][] {
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
      description: describeCycle(
        members.map((m) => batchIndex.get(m.id)!),
        edges,
        fresh,
      ),
      severity: severityOf(...members),
      conflicting_field: 'dependencies',
    });
    for (const i of cycle)
      ineligible.set(i, { status: 'rejected', reason: `in a dependency cycle with ${ids.join(', ')}` });
  }
  return edges;
}

/** Whatever depends, directly or not, on an ineligible recommendation of the batch cannot run either. */
function blockDependents(fresh: readonly Candidate[], edges: number[][], ineligible: Map<number, Ineligibility>) {
  const dependents: number[][] = fresh.map(() => []);
  for (const [i, deps] of edges.entries()) for (const d of deps) dependents[d].push(i);
  const stopped = new Uint8Array(fresh.length);
  const queue = [...ineligible.keys()];
  for (const i of queue) stopped[i] = 1;
  const blocked: number[] = [];
  for (let next = 0; next < queue.length; next++) {
    for (const d of dependents[queue[next]]) {
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
function describeCycle(members: number[], edges: number[][], fresh: readonly Candidate[]): string {
  const inCycle = new Set(members);
  const next = members.map((i) => [...new Set(edges[i].filter((j) => inCycle.has(j)))]);
  if (next.some((deps) => deps.length !== 1))
    return `Circular dependencies among ${members.map((i) => fresh[i].id).join(', ')}`;
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
    out.push({
      type: 'timing',
      nodes: [i],
      description: timing.description,
      severity: severityOf(rec),
      conflicting_field: 'window',
    });
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
  return {
    status: 'rejected' as const,
    description: `Window lies inside change freeze '${freeze.name}' (${freeze.start} to ${freeze.end})`,
  };
}
