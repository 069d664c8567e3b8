// One batch as the engine sees it: the recommendations of the request, then the customer's active
// ones, numbered 0..n-1. What detection and resolution look up again and again (ids, resources,
// dependencies, actions, risk) is turned into numbers once, in flat typed arrays: at 100,000
// recommendations, one object or array per node or pair is what the garbage collector pays for.

import type { Candidate, DetectionInput } from './conflicts.js';
import { opposableNumber } from './contradictory-actions.js';
import { RISK_RANK } from './ranking.js';

export interface BatchIndex {
  /** [...fresh, ...active]. */
  nodes: readonly Candidate[];
  freshCount: number;
  /** Each node's id. */
  ids: readonly string[];
  /** Each node's rank by id (ids are unique across fresh and active; code-unit order, that of `<`). */
  idRank: Int32Array;
  /** The nodes in id order. */
  byId: Int32Array;
  /** RISK_RANK of each node. */
  risk: Uint8Array;
  /** opposableNumber of each node's action. */
  opposable: Int8Array;
  resources: ResourceIndex;
  /**
   * Each node's dependencies as nodes, in its own order, `dependsOn[firstDependency[i] ..
   * firstDependency[i + 1])`; -1 for an id that is not in the batch.
   */
  firstDependency: Int32Array;
  dependsOn: Int32Array;
}

/**
 * Which nodes name which resource: resource numbers `resourceOf[firstOfNode[i] .. firstOfNode[i + 1])`
 * for node i, in its own order, and node indexes `nodesOf[firstOfResource[r] .. firstOfResource[r + 1])`,
 * ascending, for resource number r, whose name is `names[r]`.
 */
export interface ResourceIndex {
  names: string[];
  resourceOf: Int32Array;
  firstOfNode: Int32Array;
  nodesOf: Int32Array;
  firstOfResource: Int32Array;
}

export function indexBatch(input: DetectionInput): BatchIndex {
  const nodes: Candidate[] = [...input.fresh, ...input.active];
  const risk = new Uint8Array(nodes.length);
  const opposable = new Int8Array(nodes.length);
  const ids = new Array<string>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    ids[i] = node.id;
    risk[i] = RISK_RANK[node.risk_level];
    opposable[i] = opposableNumber(node.action);
  }
  const { byId, idRank } = idOrder(ids);
  return {
    nodes,
    freshCount: input.fresh.length,
    ids,
    idRank,
    byId,
    risk,
    opposable,
    resources: resourceIndex(nodes),
    ...dependencyIndex(nodes, ids, byId),
  };
}

/** Sorting the node numbers by id measured faster than filling a Map of ids, and serves both lookups and order. */
function idOrder(ids: readonly string[]) {
  const order = new Array<number>(ids.length);
  for (let i = 0; i < ids.length; i++) order[i] = i;
  order.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const byId = Int32Array.from(order);
  const idRank = new Int32Array(ids.length);
  for (let rank = 0; rank < byId.length; rank++) idRank[byId[rank]] = rank;
  return { byId, idRank };
}

/** The node with this id, or -1: a binary search of the id order. */
export function nodeOf(id: string, ids: readonly string[], byId: Int32Array): number {
  let low = 0;
  let high = byId.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = ids[byId[middle]];
    if (found === id) return byId[middle];
    if (found < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

function resourceIndex(nodes: readonly Candidate[]): ResourceIndex {
  const numbers = new Map<string, number>();
  const names: string[] = [];
  const firstOfNode = new Int32Array(nodes.length + 1);
  let mentions = 0;
  for (let i = 0; i < nodes.length; i++) mentions += nodes[i].affected_resources.length;
  const resourceOf = new Int32Array(mentions);
  let k = 0;
  for (let i = 0; i < nodes.length; i++) {
    firstOfNode[i] = k;
    const named = nodes[i].affected_resources;
    for (let m = 0; m < named.length; m++) {
      const resource = named[m];
      let r = numbers.get(resource);
      if (r === undefined) numbers.set(resource, (r = names.push(resource) - 1));
      resourceOf[k++] = r;
    }
  }
  firstOfNode[nodes.length] = k;
  const firstOfResource = new Int32Array(names.length + 1);
  for (let m = 0; m < mentions; m++) firstOfResource[resourceOf[m] + 1]++;
  for (let r = 0; r < names.length; r++) firstOfResource[r + 1] += firstOfResource[r];
  const filled = firstOfResource.slice(0, names.length);
  const nodesOf = new Int32Array(mentions);
  for (let i = 0; i < nodes.length; i++) {
    for (let m = firstOfNode[i]; m < firstOfNode[i + 1]; m++) nodesOf[filled[resourceOf[m]]++] = i;
  }
  return { names, resourceOf, firstOfNode, nodesOf, firstOfResource };
}

function dependencyIndex(nodes: readonly Candidate[], ids: readonly string[], byId: Int32Array) {
  const firstDependency = new Int32Array(nodes.length + 1);
  let count = 0;
  for (let i = 0; i < nodes.length; i++) {
    firstDependency[i] = count;
    count += nodes[i].dependencies.length;
  }
  firstDependency[nodes.length] = count;
  const dependsOn = new Int32Array(count);
  for (let i = 0; i < nodes.length; i++) {
    const deps = nodes[i].dependencies;
    for (let k = 0; k < deps.length; k++) dependsOn[firstDependency[i] + k] = nodeOf(deps[k], ids, byId);
  }
  return { firstDependency, dependsOn };
}
