// The conflicts a resolution lists: every one, or when the pairs are too many (FULL_PAIR_LIST) a
// bounded selection chosen by rank. They stay numbers (nodes, a type) while they are chosen and put
// in canonical order; each record, with its words, is then written once, in that order.

import type { Detection } from './conflicts.js';
import { flat } from './flat-text.js';
import type { Outcome, ResolvedConflict } from './resolution.js';

/** Beside the conflict that decided it, each recommendation lists those with its best-ranked rivals, at most this many. */
export const SAMPLED_RIVALS = 3;

const TYPE_ORDER = { resource: 0, action: 1, dependency: 2, timing: 3 } as const;
const RESOURCE = TYPE_ORDER.resource;
const ACTION = TYPE_ORDER.action;

/**
 * The listed conflicts, in canonical order: by recommendation ids (each conflict lists its ids
 * sorted), then type, then description. `beatenBy` and `position` come from the ranking walk.
 */
export function listConflicts(
  detection: Detection,
  outcome: readonly Outcome[],
  position: Int32Array,
  beatenBy: Int32Array,
): ResolvedConflict[] {
  const { idRank } = detection.batch;
  const pairs = detection.complete ? allPairs(detection) : sampledPairs(detection, beatenBy, position);
  const entries = new Entries(detection, idRank, pairs);
  const text = resolutionText(detection, outcome, position);
  const { nodes } = detection.batch;
  const { words } = detection;
  const order = entries.canonicalOrder();
  const resolved = new Array<ResolvedConflict>(order.length);
  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    const other = entries.other[e];
    if (other >= 0) {
      const c = detection.nodeConflicts[other];
      resolved[k] = {
        type: c.type,
        description: c.description,
        severity: c.severity,
        conflicting_field: c.conflicting_field,
        recommendation_ids: c.nodes.map((m) => nodes[m].id),
        resolution: text.each(c.nodes),
      };
      continue;
    }
    const first = entries.first[e];
    const second = entries.second[e];
    const resource = entries.type[e] === RESOURCE;
    resolved[k] = {
      type: resource ? 'resource' : 'action',
      description: entries.description(e),
      severity: resource ? words.resourceSeverity(first, second) : 'high',
      conflicting_field: resource ? 'affected_resources' : 'action',
      recommendation_ids: [nodes[first].id, nodes[second].id],
      resolution: text.pair(first, second),
    };
  }
  return resolved;
}

/** Every linked pair once, as a flat list [a, b, a, b, …]. */
function allPairs({ links: { start, near } }: Detection): Int32Array {
  const pairs = new Int32Array(near.length);
  let size = 0;
  for (let a = 0; a + 1 < start.length; a++) {
    for (let k = start[a]; k < start[a + 1]; k++) {
      if (a < near[k]) {
        pairs[size++] = a;
        pairs[size++] = near[k];
      }
    }
  }
  return pairs.subarray(0, size);
}

/**
 * When there are too many to list them all: for each recommendation the pair with the one that beat
 * it, and those with its SAMPLED_RIVALS best-ranked rivals. Chosen by rank, so the selection, like
 * the outcome, does not depend on input order. A pair chosen from both ends is listed once.
 */
function sampledPairs({ links: { start, near } }: Detection, beatenBy: Int32Array, position: Int32Array): Int32Array {
  const n = beatenBy.length;
  const width = SAMPLED_RIVALS + 1;
  const chosen = new Int32Array(n * width);
  const count = new Uint8Array(n);
  const best = new Int32Array(SAMPLED_RIVALS);
  const has = (i: number, j: number) => {
    for (let k = i * width; k < i * width + count[i]; k++) if (chosen[k] === j) return true;
    return false;
  };
  for (let i = 0; i < n; i++) {
    if (beatenBy[i] >= 0) chosen[i * width + count[i]++] = beatenBy[i];
    let found = 0;
    for (let k = start[i]; k < start[i + 1]; k++) {
      const j = near[k];
      // Insertion into the few best seen so far, by rank.
      let slot = Math.min(found, SAMPLED_RIVALS - 1);
      if (found === SAMPLED_RIVALS && position[j] >= position[best[slot]]) continue;
      while (slot > 0 && position[best[slot - 1]] > position[j]) {
        best[slot] = best[slot - 1];
        slot--;
      }
      best[slot] = j;
      if (found < SAMPLED_RIVALS) found++;
    }
    for (let k = 0; k < found; k++) if (!has(i, best[k])) chosen[i * width + count[i]++] = best[k];
  }
  const pairs = new Int32Array(2 * n * width);
  let size = 0;
  for (let i = 0; i < n; i++) {
    for (let k = i * width; k < i * width + count[i]; k++) {
      const j = chosen[k];
      if (j < i && has(j, i)) continue; // j listed it
      pairs[size++] = i;
      pairs[size++] = j;
    }
  }
  return pairs.subarray(0, size);
}

/**
 * The listed conflicts as parallel arrays: a pair conflict is its two nodes (the smaller id first)
 * and its type; a dependency or timing conflict is its index in `nodeConflicts`.
 */
class Entries {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly type: Uint8Array;
  readonly other: Int32Array;
  private size = 0;

  constructor(
    private readonly detection: Detection,
    private readonly idRank: Int32Array,
    pairs: Int32Array,
  ) {
    const others = detection.nodeConflicts;
    const capacity = others.length + pairs.length; // at most two conflicts per pair
    this.first = new Int32Array(capacity);
    this.second = new Int32Array(capacity);
    this.type = new Uint8Array(capacity);
    this.other = new Int32Array(capacity);
    for (let k = 0; k < others.length; k++) {
      const members = others[k].nodes;
      this.add(members[0], members.length > 1 ? members[1] : -1, TYPE_ORDER[others[k].type], k);
    }
    const { words } = detection;
    for (let p = 0; p < pairs.length; p += 2) {
      const a = pairs[p];
      const b = pairs[p + 1];
      const first = idRank[a] < idRank[b] ? a : b;
      const second = first === a ? b : a;
      if (words.linkedByResource(first, second)) this.add(first, second, RESOURCE, -1);
      if (words.contradict(first, second)) this.add(first, second, ACTION, -1);
    }
  }

  private add(first: number, second: number, type: number, other: number) {
    const e = this.size++;
    this.first[e] = first;
    this.second[e] = second;
    this.type[e] = type;
    this.other[e] = other;
  }

  /** Written when asked: for the record, and to order the rare entries that tie on everything else. */
  description(e: number): string {
    const { words, nodeConflicts } = this.detection;
    if (this.other[e] >= 0) return nodeConflicts[this.other[e]].description;
    const first = this.first[e];
    const second = this.second[e];
    return (this.type[e] === RESOURCE ? words.resourceConflict(first, second) : words.actionConflict(first, second))!;
  }

  /**
   * Entry numbers in canonical order. Two stable counting sorts (by the second id's rank, then by
   * the first's) do the bulk in linear time; the few entries that tie on both, such as a pair's
   * resource and action conflicts, are ordered by the rest of the key.
   */
  canonicalOrder(): Int32Array {
    const { size, idRank } = this;
    const firstKey = new Int32Array(size);
    const secondKey = new Int32Array(size);
    for (let e = 0; e < size; e++) {
      firstKey[e] = idRank[this.first[e]];
      secondKey[e] = this.second[e] >= 0 ? idRank[this.second[e]] + 1 : 0;
    }
    const identity = new Int32Array(size);
    for (let e = 0; e < size; e++) identity[e] = e;
    const bySecond = countingSort(identity, secondKey, idRank.length + 1);
    const order = countingSort(bySecond, firstKey, idRank.length);
    for (let from = 0; from < size; ) {
      let to = from + 1;
      while (
        to < size &&
        firstKey[order[to]] === firstKey[order[from]] &&
        secondKey[order[to]] === secondKey[order[from]]
      )
        to++;
      // Insertion sort: a run holds the few conflicts of one pair, or of one recommendation alone.
      for (let k = from + 1; k < to; k++) {
        const e = order[k];
        let at = k;
        for (; at > from && this.compareTied(order[at - 1], e) > 0; at--) order[at] = order[at - 1];
        order[at] = e;
      }
      from = to;
    }
    return order;
  }

  /** For entries with the same first two ids: the other members, element by element, then type, then description. */
  private compareTied(x: number, y: number): number {
    const a = this.members(x);
    const b = this.members(y);
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) if (a[i] !== b[i]) return this.idRank[a[i]] - this.idRank[b[i]];
    if (a.length !== b.length) return a.length - b.length; // a prefix first
    if (this.type[x] !== this.type[y]) return this.type[x] - this.type[y];
    const p = this.description(x);
    const q = this.description(y);
    return p < q ? -1 : p > q ? 1 : 0;
  }

  private members(e: number): readonly number[] {
    const other = this.other[e];
    return other >= 0 ? this.detection.nodeConflicts[other].nodes : [this.first[e], this.second[e]];
  }
}

/** `items` stably ordered by `key[item]`, each key in [0, keys). */
function countingSort(items: Int32Array, key: Int32Array, keys: number): Int32Array {
  const next = new Int32Array(keys + 1);
  for (let k = 0; k < items.length; k++) next[key[items[k]] + 1]++;
  for (let v = 0; v < keys; v++) next[v + 1] += next[v];
  const sorted = new Int32Array(items.length);
  for (let k = 0; k < items.length; k++) sorted[next[key[items[k]]]++] = items[k];
  return sorted;
}

/** Words written once per status. */
function wordsPerStatus(write: (status: string) => string): (status: string) => string {
  const written = new Map<string, string>();
  return (status) => {
    let words = written.get(status);
    if (words === undefined) written.set(status, (words = write(status)));
    return words;
  };
}

/** The words for each outcome, built once per recommendation rather than once per conflict. */
function resolutionText({ batch: { nodes } }: Detection, outcome: readonly Outcome[], position: Int32Array) {
  const perNode = (build: (m: number) => string) => {
    const built = new Array<string | undefined>(nodes.length);
    return (m: number) => (built[m] ??= build(m));
  };
  const won = perNode((w) =>
    flat(
      'Kept recommendation ',
      nodes[w].id,
      ' (priority: ',
      String(nodes[w].priority),
      ', savings: ',
      nodes[w].estimated_savings.toFixed(2),
      ')',
    ),
  );
  // Cons strings over words shared per status, the id and the reason (held by the input and the
  // outcome anyway): a node or three each rather than a copy of every part.
  const lostWords = wordsPerStatus((status) => `, ${status} `);
  const lost = perNode((m) => lostWords(outcome[m].status) + nodes[m].id);
  const endedWords = wordsPerStatus((status) => ` ${status} (`);
  const ended = perNode((m) => `${nodes[m].id + endedWords(outcome[m].status) + outcome[m].reason})`);
  // Around `ended`, which other texts hold too: two cons strings share it rather than copy it.
  const neitherFirst = perNode((m) => `Neither kept: ${ended(m)}; `);
  return {
    pair(a: number, b: number): string {
      const better = position[a] < position[b] ? a : b;
      const worse = better === a ? b : a;
      if (outcome[better].status === 'kept') return won(better) + lost(worse);
      if (outcome[worse].status === 'kept') return won(worse) + lost(better);
      return neitherFirst(better) + ended(worse);
    },
    each: (members: readonly number[]) => members.map(ended).join('; '),
  };
}
