// Resolution: walk the ranking once and keep a recommendation unless it conflicts with one
// already kept. A loser names the kept recommendation that beat it. Whatever depends on a
// recommendation that was not kept is cancelled, and the walk is repeated without it so that
// a cancelled recommendation never costs another its place.

import type { RecommendationStatus } from '../model/statuses.js';
import type { BatchIndex } from './batch-index.js';
import { listConflicts } from './conflict-listing.js';
import { type DetectedConflict, type Detection, type DetectionInput, detectConflicts } from './conflicts.js';
import { flat } from './flat-text.js';
import { NodeMap } from './node-map.js';

export { SAMPLED_RIVALS } from './conflict-listing.js';

export type OutcomeStatus = 'kept' | 'discarded' | 'superseded' | 'rejected' | 'expired' | 'cancelled';

export interface Outcome {
  status: OutcomeStatus;
  reason: string;
  /** The kept recommendation that beat this one. */
  by?: string;
}

export interface ResolvedConflict extends Omit<DetectedConflict, 'nodes'> {
  recommendation_ids: string[];
  resolution: string;
}

export interface Resolution {
  /** Outcome of every fresh and active recommendation, by id. */
  outcomes: ReadonlyMap<string, Outcome>;
  /** Every conflict, or when there are very many (see FULL_PAIR_LIST) a bounded selection: see listConflicts. */
  conflicts: ResolvedConflict[];
  /** How many conflicts there are in all; more than conflicts.length when only a selection is listed. */
  total: number;
  /** How many conflicts each recommendation is part of, listed or not, by id. */
  conflictCounts: ReadonlyMap<string, number>;
  /** Ids of the fresh recommendations kept, best ranked first. */
  kept: string[];
}

// Outcomes are read, never changed: recommendations with the same fate share one frozen record.
const KEPT_FRESH: Outcome = Object.freeze({
  status: 'kept',
  reason: 'kept: no conflict with a better-ranked recommendation',
});
const KEPT_ACTIVE: Outcome = Object.freeze({ status: 'kept', reason: 'kept' });

const IMMOVABLE: ReadonlySet<RecommendationStatus> = new Set(['executing']);

export function resolveConflicts(input: DetectionInput, detection: Detection = detectConflicts(input)): Resolution {
  const { batch } = detection;
  const { nodes, freshCount } = batch;
  const { start, near } = detection.links;
  const order = ranking(input, batch);
  const position = new Int32Array(nodes.length);
  for (let p = 0; p < order.length; p++) position[order[p]] = p;

  const outcome = new Array<Outcome | undefined>(nodes.length);
  for (const [i, why] of detection.ineligible) outcome[i] = why;

  const lostTo = lossReasons(batch);
  const kept = new Uint8Array(nodes.length);
  const beatenBy = new Int32Array(nodes.length);
  const fate = (j: number) => outcome[j] ?? (beatenBy[j] >= 0 ? lostTo(beatenBy[j], j) : undefined);
  for (;;) {
    kept.fill(0);
    beatenBy.fill(-1);
    for (let p = 0; p < order.length; p++) {
      const i = order[p];
      if (outcome[i]) continue;
      let winner = -1;
      for (let k = start[i]; k < start[i + 1]; k++) {
        const j = near[k];
        if (kept[j] && (winner === -1 || position[j] < position[winner])) winner = j;
      }
      if (winner === -1) kept[i] = 1;
      else beatenBy[i] = winner;
    }
    const cancelled = cancelDependents(batch, kept, fate);
    if (cancelled.size === 0) {
      for (let p = 0; p < order.length; p++) {
        const i = order[p];
        if (outcome[i]) continue;
        if (kept[i]) outcome[i] = i < freshCount ? KEPT_FRESH : KEPT_ACTIVE;
        else outcome[i] = lostTo(beatenBy[i], i);
      }
      break;
    }
    for (const [i, why] of cancelled) outcome[i] = why;
  }

  const { conflictCount } = detection;
  const outcomes = new NodeMap(batch, (i) => outcome[i]!);
  const conflictCounts = new NodeMap(batch, (i) => conflictCount[i]);
  const keptIds: string[] = [];
  for (let p = 0; p < order.length; p++) if (order[p] < freshCount && kept[order[p]]) keptIds.push(nodes[order[p]].id);
  return {
    outcomes,
    conflicts: listConflicts(detection, outcome as Outcome[], position, beatenBy),
    total: detection.total,
    conflictCounts,
    kept: keptIds,
  };
}

/**
 * Nodes best first: those that hold their place (executing, approved by people), then by rank:
 * compareRank on the batch's numbers (risk, id order) and the ranking fields read once into typed
 * arrays, so that the sort's n log n comparisons load no object.
 */
function ranking(input: DetectionInput, { nodes, freshCount, risk, idRank }: BatchIndex): number[] {
  const n = nodes.length;
  const immovable = new Uint8Array(n);
  for (let i = freshCount; i < n; i++) {
    const active = input.active[i - freshCount];
    immovable[i] = IMMOVABLE.has(active.status) || active.approved_by_people === true ? 1 : 0;
  }
  const priority = new Float64Array(n);
  const savings = new Float64Array(n);
  const confidence = new Float64Array(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    priority[i] = nodes[i].priority;
    savings[i] = nodes[i].estimated_savings;
    confidence[i] = nodes[i].confidence;
  }
  return order.sort((a, b) => {
    if (immovable[a] !== immovable[b]) return immovable[b] - immovable[a];
    if (priority[a] !== priority[b]) return priority[a] > priority[b] ? -1 : 1;
    if (savings[a] !== savings[b]) return savings[a] > savings[b] ? -1 : 1;
    if (confidence[a] !== confidence[b]) return confidence[a] > confidence[b] ? -1 : 1;
    if (risk[a] !== risk[b]) return risk[a] < risk[b] ? -1 : 1;
    return idRank[a] - idRank[b];
  });
}

/**
 * "discarded in favour of w (priority 9, savings 0.00)": the outcome is written once per winner and
 * status, and shared (frozen) by its losers.
 */
function lossReasons({ nodes, freshCount }: BatchIndex) {
  // One array per status: a single one of 2n slots would, at 10,000, be a large object of its own.
  const discarded = new Array<Outcome | undefined>(nodes.length);
  let superseded: (Outcome | undefined)[] | undefined;
  return (winner: number, loser: number): Outcome => {
    const outcomes = loser < freshCount ? discarded : (superseded ??= new Array(nodes.length));
    const written = outcomes[winner];
    if (written) return written;
    const status = loser < freshCount ? 'discarded' : 'superseded';
    const w = nodes[winner];
    const reason = flat(
      status,
      ' in favour of ',
      w.id,
      ' (priority ',
      String(w.priority),
      ', savings ',
      w.estimated_savings.toFixed(2),
      ')',
    );
    return (outcomes[winner] = Object.freeze({ status, by: w.id, reason }));
  };
}

/** Fresh kept recommendations whose dependency was not kept in this walk, with what became of it. */
function cancelDependents(
  { nodes, freshCount, firstDependency, dependsOn }: BatchIndex,
  kept: Uint8Array,
  fate: (j: number) => Outcome | undefined,
): Map<number, Outcome> {
  const cancelled = new Map<number, Outcome>();
  for (let i = 0; i < freshCount; i++) {
    if (!kept[i]) continue;
    for (let k = firstDependency[i]; k < firstDependency[i + 1]; k++) {
      const j = dependsOn[k];
      if (j !== -1 && !kept[j]) {
        cancelled.set(i, { status: 'cancelled', reason: dependencyReason(nodes[j].id, fate(j)) });
        break;
      }
    }
  }
  return cancelled;
}

/** The true cause: "dependency loser was discarded in favour of winner (priority 9, savings 0.00)". */
export function dependencyReason(id: string, fate: Outcome | undefined): string {
  if (!fate) return `dependency ${id} was not kept`;
  const why = fate.reason.startsWith(fate.status) ? fate.reason : `${fate.status}: ${fate.reason}`;
  return `dependency ${id} was ${why}`;
}
