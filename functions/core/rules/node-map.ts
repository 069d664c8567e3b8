// A resolution's per-recommendation answers (outcome, conflict count) as a read-only Map by id, kept in the
// arrays the engine filled by node number. Building two real Maps of 10,000 string keys was an eighth of a run at
// 10,000 (and large hash tables for the garbage collector); ids are found here by the batch's id order instead.
import { type BatchIndex, nodeOf } from './batch-index.js';

export class NodeMap<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly batch: Pick<BatchIndex, 'ids' | 'byId'>,
    private readonly valueAt: (node: number) => V,
  ) {}

  get size(): number {
    return this.batch.ids.length;
  }

  get(id: string): V | undefined {
    const node = nodeOf(id, this.batch.ids, this.batch.byId);
    return node === -1 ? undefined : this.valueAt(node);
  }

  has(id: string): boolean {
    return nodeOf(id, this.batch.ids, this.batch.byId) !== -1;
  }

  /** In node order (the request's recommendations, then the active ones), as the Map built in that order was. */
  *entries(): MapIterator<[string, V]> {
    const { ids } = this.batch;
    for (let i = 0; i < ids.length; i++) yield [ids[i], this.valueAt(i)];
  }

  *keys(): MapIterator<string> {
    yield* this.batch.ids;
  }

  *values(): MapIterator<V> {
    for (let i = 0; i < this.batch.ids.length; i++) yield this.valueAt(i);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, id: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [id, value] of this.entries()) callback.call(thisArg, value, id, this);
  }
}
