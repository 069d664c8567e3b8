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
 * the order of `tieBreak` (ties: the one ready first, then input order). Dependencies outside the
 * set are ignored. The ready ones wait in a binary heap: re-sorting them at each step made 27,000
 * kept recommendations with some dependencies take minutes.
 */
export function dependencyOrder<T extends { id: string; dependencies: readonly string[] }>(
  items: readonly T[],
  tieBreak: (a: T, b: T) => number,
): T[] {
  const indexOf = new Map<string, number>();
  for (const [i, item] of items.entries()) indexOf.set(item.id, i);
  const waitingOn = new Int32Array(items.length);
  const dependents: (number[] | undefined)[] = new Array(items.length);
  for (const [i, item] of items.entries()) {
    for (const d of item.dependencies) {
      const j = indexOf.get(d);
      if (j === undefined || d === item.id) continue;
      waitingOn[i]++;
      (dependents[j] ??= []).push(i);
    }
  }
  const readySince = new Int32Array(items.length);
  let readyCount = 0;
  const ready = new ReadyHeap(
    (a, b) => tieBreak(items[a], items[b]) || readySince[a] - readySince[b] || a - b,
    items.length,
  );
  const makeReady = (i: number) => {
    readySince[i] = readyCount++;
    ready.push(i);
  };
  for (let i = 0; i < items.length; i++) if (waitingOn[i] === 0) makeReady(i);
  const order: T[] = [];
  while (ready.size > 0) {
    const next = ready.pop();
    order.push(items[next]);
    for (const d of dependents[next] ?? []) if (--waitingOn[d] === 0) makeReady(d);
  }
  if (order.length !== items.length) throw new Error('dependencyOrder: the set has a cycle');
  return order;
}

/** A binary min-heap of item numbers under `compare`. */
class ReadyHeap {
  private readonly heap: Int32Array;
  size = 0;

  constructor(
    private readonly compare: (a: number, b: number) => number,
    capacity: number,
  ) {
    this.heap = new Int32Array(capacity);
  }

  push(item: number) {
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.compare(this.heap[parent], item) <= 0) break;
      this.heap[at] = this.heap[parent];
      at = parent;
    }
    this.heap[at] = item;
  }

  pop(): number {
    const top = this.heap[0];
    const last = this.heap[--this.size];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.compare(this.heap[child + 1], this.heap[child]) < 0) child++;
      if (this.compare(last, this.heap[child]) <= 0) break;
      this.heap[at] = this.heap[child];
      at = child;
    }
    this.heap[at] = last;
    return top;
  }
}
