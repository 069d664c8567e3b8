// Pair conflicts (resource, action). Pairs are found through the resource index (and an action
// index for recommendations that name no resources), so the cost grows with the overlaps, not with
// n². They are kept as links between node numbers; a conflict's record (its description and
// severity) is written only for the conflicts that are listed, when they are listed.

import type { Severity } from '../model/records.js';
import type { BatchIndex } from './batch-index.js';
import { numbersContradict, opposableNumber, opposites } from './contradictory-actions.js';

export interface PairLinks {
  /** Node i's rivals are `near[start[i] .. start[i + 1])`, in the order they were found. */
  start: Int32Array;
  near: Int32Array;
  /** How many pair conflicts each node is part of (a resource and an action conflict count two). */
  conflictCount: Int32Array;
  /** How many pair conflicts there are in all. */
  total: number;
}

/** Links every pair in conflict (resource or action) and counts their conflicts. */
export function findPairConflicts(batch: BatchIndex): PairLinks {
  const { nodes, freshCount, opposable } = batch;
  const { resourceOf, firstOfNode, nodesOf, firstOfResource } = batch.resources;
  const found = new PairList(nodes.length);
  const ordered = dependencyRelation(batch);
  // Only pairs with a fresh node count: the active ones were settled when they arrived. Nodes are
  // [...fresh, ...active], so each pair is found once, from its smaller index a, which is fresh.
  // `metBy[b] === a` says b was already met while scanning a.
  const metBy = new Int32Array(nodes.length).fill(-1);
  for (let a = 0; a < freshCount; a++) {
    for (let m = firstOfNode[a]; m < firstOfNode[a + 1]; m++) {
      const resource = resourceOf[m];
      const first = firstOfResource[resource];
      for (let k = firstOfResource[resource + 1] - 1; k >= first && nodesOf[k] > a; k--) {
        const b = nodesOf[k];
        if (metBy[b] === a) continue;
        metBy[b] = a;
        // A recommendation and its dependencies (direct or not) are ordered, not rivals: the locks serialise them.
        if (ordered(a, b)) continue;
        found.add(a, b, numbersContradict(opposable[a], opposable[b]) ? 2 : 1);
      }
    }
  }
  findUnscopedActionConflicts(batch, ordered, found);
  return found.links();
}

/**
 * Contradictory actions also clash when either side names no resources: it may touch anything.
 * Such a pair shares no resource, so the resource scan did not find it; between two such nodes, once.
 */
function findUnscopedActionConflicts(batch: BatchIndex, ordered: Ordered, found: PairList) {
  const { nodes, freshCount, opposable, resources } = batch;
  const unscoped = (i: number) => resources.firstOfNode[i] === resources.firstOfNode[i + 1];
  let any = false;
  for (let i = 0; i < nodes.length && !any; i++) any = unscoped(i);
  if (!any) return;
  const byOpposable: number[][] = [];
  for (let i = 0; i < nodes.length; i++) if (opposable[i] >= 0) (byOpposable[opposable[i]] ??= []).push(i);
  for (let i = 0; i < nodes.length; i++) {
    if (!unscoped(i)) continue;
    for (const opposite of opposites(nodes[i].action)) {
      for (const j of byOpposable[opposableNumber(opposite)] ?? []) {
        if ((i >= freshCount && j >= freshCount) || (unscoped(j) && j < i) || ordered(i, j)) continue;
        found.add(i, j, 1);
      }
    }
  }
}

type Ordered = (a: number, b: number) => boolean;

/**
 * Whether one of two nodes depends on the other, directly or through others among the nodes. Only
 * nodes with dependencies get an ancestor set (most have none), built once.
 */
function dependencyRelation({ nodes, firstDependency, dependsOn }: BatchIndex): Ordered {
  const ancestors: (Set<number> | undefined)[] = new Array(nodes.length);
  let any = false;
  for (let i = 0; i < nodes.length; i++) {
    if (firstDependency[i] === firstDependency[i + 1]) continue;
    const seen = new Set<number>();
    const stack = [i];
    while (stack.length > 0) {
      const from = stack.pop()!;
      for (let k = firstDependency[from]; k < firstDependency[from + 1]; k++) {
        const j = dependsOn[k];
        if (j === -1 || seen.has(j)) continue;
        seen.add(j);
        stack.push(j);
      }
    }
    if (seen.size > 0) {
      ancestors[i] = seen;
      any = true;
    }
  }
  if (!any) return () => false;
  return (a, b) => ancestors[a]?.has(b) === true || ancestors[b]?.has(a) === true;
}

/** Pairs as they are found, in growing typed arrays, then turned into each node's list of rivals. */
class PairList {
  private a: Int32Array;
  private b: Int32Array;
  private size = 0;
  private total = 0;
  private readonly conflictCount: Int32Array;

  constructor(private readonly nodeCount: number) {
    this.a = new Int32Array(Math.max(16, nodeCount));
    this.b = new Int32Array(this.a.length);
    this.conflictCount = new Int32Array(nodeCount);
  }

  add(a: number, b: number, conflicts: number) {
    if (this.size === this.a.length) {
      this.a = grown(this.a);
      this.b = grown(this.b);
    }
    this.a[this.size] = a;
    this.b[this.size++] = b;
    this.conflictCount[a] += conflicts;
    this.conflictCount[b] += conflicts;
    this.total += conflicts;
  }

  links(): PairLinks {
    const { a, b, size, nodeCount } = this;
    const start = new Int32Array(nodeCount + 1);
    for (let p = 0; p < size; p++) {
      start[a[p] + 1]++;
      start[b[p] + 1]++;
    }
    for (let i = 0; i < nodeCount; i++) start[i + 1] += start[i];
    const next = start.slice(0, nodeCount);
    const near = new Int32Array(2 * size);
    for (let p = 0; p < size; p++) {
      near[next[a[p]]++] = b[p];
      near[next[b[p]]++] = a[p];
    }
    return { start, near, conflictCount: this.conflictCount, total: this.total };
  }
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

const SEVERITY_BY_RISK: Severity[] = ['low', 'medium', 'high', 'high'];

export function severityOfRisk(risk: number): Severity {
  return SEVERITY_BY_RISK[risk];
}

/** Descriptions are stored with both recommendations: a pair sharing hundreds of resources names the first few. */
const LISTED_RESOURCES = 20;

/**
 * The words of pair conflicts. `first` is the one of the two with the smaller id. Texts that many
 * pairs share (one shared resource, two contradictory actions) are written once.
 */
export class PairWords {
  /** Sized up front: written at scattered indexes, a growing array would fall back to a dictionary. */
  private readonly byResource: (string | undefined)[];
  private readonly byActions = new Map<number, string>();
  /** Resources of the second node are marked with the current stamp to intersect without a Set. */
  private readonly mark: Int32Array;
  private stamp = 0;

  constructor(private readonly batch: BatchIndex) {
    this.mark = new Int32Array(batch.resources.names.length);
    this.byResource = new Array(batch.resources.names.length);
  }

  /** The resource conflict's description, or undefined when the two share no resource. */
  resourceConflict(first: number, second: number): string | undefined {
    const { resourceOf, firstOfNode, names } = this.batch.resources;
    const stamp = ++this.stamp;
    for (let m = firstOfNode[second]; m < firstOfNode[second + 1]; m++) this.mark[resourceOf[m]] = stamp;
    let one = -1;
    let shared: string[] | undefined;
    // In the first one's own order, as it listed them (repeats included).
    for (let m = firstOfNode[first]; m < firstOfNode[first + 1]; m++) {
      const r = resourceOf[m];
      if (this.mark[r] !== stamp) continue;
      if (one === -1) one = r;
      else (shared ??= [names[one]]).push(names[r]);
    }
    if (one === -1) return undefined;
    if (shared) return `Both recommendations affect resources: [${listed(shared.sort())}]`;
    this.byResource[one] ??= `Both recommendations affect resources: [${names[one]}]`;
    return this.byResource[one];
  }

  /** The action conflict's description, or undefined when the actions do not contradict. */
  actionConflict(first: number, second: number): string | undefined {
    const { opposable, nodes } = this.batch;
    const x = opposable[first];
    const y = opposable[second];
    if (!numbersContradict(x, y)) return undefined;
    const key = x * 128 + y;
    let text = this.byActions.get(key);
    if (text === undefined) {
      text = `Contradictory actions: ${nodes[first].action} vs ${nodes[second].action}`;
      this.byActions.set(key, text);
    }
    return text;
  }

  /**
   * For two linked nodes: whether they share a resource. Linked nodes that both name resources were
   * linked by one (an unscoped action conflict has a side that names none), so no intersection is needed.
   */
  linkedByResource(a: number, b: number): boolean {
    const { firstOfNode } = this.batch.resources;
    return firstOfNode[a] !== firstOfNode[a + 1] && firstOfNode[b] !== firstOfNode[b + 1];
  }

  contradict(a: number, b: number): boolean {
    return numbersContradict(this.batch.opposable[a], this.batch.opposable[b]);
  }

  resourceSeverity(a: number, b: number): Severity {
    return SEVERITY_BY_RISK[Math.max(this.batch.risk[a], this.batch.risk[b])];
  }
}

function listed(resources: string[]): string {
  const shown = resources.slice(0, LISTED_RESOURCES).join(' ');
  return resources.length > LISTED_RESOURCES ? `${shown} … and ${resources.length - LISTED_RESOURCES} more` : shown;
}
