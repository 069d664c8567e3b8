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
  /** The node of each id (ids are unique across fresh and active). */
  indexOf: Map<string, number>;
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
  const indexOf = new Map<string, number>();
  const risk = new Uint8Array(nodes.length);
  const opposable = new Int8Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    indexOf.set(node.id, i);
    risk[i] = RISK_RANK[node.risk_level];
    opposable[i] = opposableNumber(node.action);
  }
  return {
    nodes,
    freshCount: input.fresh.length,
    indexOf,
    risk,
    opposable,
    resources: resourceIndex(nodes),
    ...dependencyIndex(nodes, indexOf),
  };
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

function dependencyIndex(nodes: readonly Candidate[], indexOf: Map<string, number>) {
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
    for (let k = 0; k < deps.length; k++) dependsOn[firstDependency[i] + k] = indexOf.get(deps[k]) ?? -1;
  }
  return { firstDependency, dependsOn };
}
