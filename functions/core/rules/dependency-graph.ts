// The dependency graph of one batch: cycles (strongly connected components, any length) and a
// run order that puts every recommendation after the ones it depends on.

/**
 * Strongly connected components that form a cycle: two or more members, or one that depends on
 * itself. `edges[i]` lists the nodes node i depends on. Iterative Tarjan on typed-array stacks,
 * so 100k nodes neither overflow the call stack nor allocate a frame each.
 */
export function findCycles(edges: ReadonlyArray<ReadonlyArray<number>>): number[][] {
  const n = edges.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  // The depth-first path: each frame is a node and the position of its next edge.
  const frameNode = new Int32Array(n);
  const frameNext = new Int32Array(n);
  const cycles: number[][] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    if (edges[root].length === 0) {
      // A component of its own that is no cycle (most nodes): numbered, never stacked.
      index[root] = low[root] = counter++;
      continue;
    }
    let depth = 0;
    frameNode[0] = root;
    frameNext[0] = 0;
    index[root] = low[root] = counter++;
    stack[top++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = frameNode[depth];
      const next = frameNext[depth];
      if (next < edges[v].length) {
        frameNext[depth]++;
        const w = edges[v][next];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[top++] = w;
          onStack[w] = 1;
          depth++;
          frameNode[depth] = w;
          frameNext[depth] = 0;
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      depth--;
      if (depth >= 0) {
        const parent = frameNode[depth];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack[--top];
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || edges[v].includes(v)) cycles.push(component);
      }
    }
  }
  return cycles;
}

/**
 * A run order (Kahn's algorithm) for an acyclic set: dependencies first, and among the ready ones
 * the order of `tieBreak`. Dependencies outside the set are ignored.
 */
export function dependencyOrder<T extends { id: string; dependencies: readonly string[] }>(
  items: readonly T[],
  tieBreak: (a: T, b: T) => number,
): T[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, T[]>();
  for (const item of items) {
    const inSet = item.dependencies.filter((d) => byId.has(d) && d !== item.id);
    waitingOn.set(item.id, inSet.length);
    for (const d of inSet) dependents.set(d, [...(dependents.get(d) ?? []), item]);
  }
  let ready = items.filter((i) => waitingOn.get(i.id) === 0).sort(tieBreak);
  const order: T[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    const unlocked: T[] = [];
    for (const dep of dependents.get(next.id) ?? []) {
      const left = waitingOn.get(dep.id)! - 1;
      waitingOn.set(dep.id, left);
      if (left === 0) unlocked.push(dep);
    }
    if (unlocked.length > 0) ready = [...ready, ...unlocked].sort(tieBreak);
  }
  if (order.length !== items.length) throw new Error('dependencyOrder: the set has a cycle');
  return order;
}
