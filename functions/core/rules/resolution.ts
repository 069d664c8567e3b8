// Resolution: walk the ranking once and keep a recommendation unless it conflicts with one
// already kept. A loser names the kept recommendation that beat it. Whatever depends on a
// recommendation that was not kept is cancelled, and the walk is repeated without it so that
// a cancelled recommendation never costs another its place.

import type { RecommendationStatus } from '../model/statuses.js';
import {
  type Candidate,
  type DetectedConflict,
  type Detection,
  type DetectionInput,
  detectConflicts,
} from './conflicts.js';
import { compareRank } from './ranking.js';

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
  outcomes: Map<string, Outcome>;
  /** Every conflict, or when there are very many (see FULL_PAIR_LIST) a bounded selection: see listedPairs. */
  conflicts: ResolvedConflict[];
  /** How many conflicts there are in all; more than conflicts.length when only a selection is listed. */
  total: number;
  /** How many conflicts each recommendation is part of, listed or not, by id. */
  conflictCounts: Map<string, number>;
  /** Ids of the fresh recommendations kept, best ranked first. */
  kept: string[];
}

const IMMOVABLE: ReadonlySet<RecommendationStatus> = new Set(['executing']);

export function resolveConflicts(input: DetectionInput, detection: Detection = detectConflicts(input)): Resolution {
  const nodes: Candidate[] = [...input.fresh, ...input.active];
  const freshCount = input.fresh.length;
  const holds = (a: (typeof input.active)[number]) => IMMOVABLE.has(a.status) || a.approved_by_people === true;
  const immovable = nodes.map((_, i) => (i >= freshCount && holds(input.active[i - freshCount]) ? 1 : 0));

  const order = nodes.map((_, i) => i);
  order.sort((a, b) => immovable[b] - immovable[a] || compareRank(nodes[a], nodes[b]));
  const position = new Int32Array(nodes.length);
  for (const [p, node] of order.entries()) position[node] = p;

  const outcome = new Array<Outcome | undefined>(nodes.length);
  for (const [i, why] of detection.ineligible) outcome[i] = why;

  const freshIndex = indexById(input.fresh, 0);
  const activeIndex = indexById(input.active, freshCount);
  const kept = new Uint8Array(nodes.length);
  let beatenBy = new Int32Array(nodes.length);

  for (;;) {
    kept.fill(0);
    beatenBy = new Int32Array(nodes.length).fill(-1);
    for (const i of order) {
      if (outcome[i]) continue;
      let winner = -1;
      const near = detection.neighbours[i];
      for (let k = 0; k < near.length; k++) {
        const j = near[k];
        if (kept[j] && (winner === -1 || position[j] < position[winner])) winner = j;
      }
      if (winner === -1) kept[i] = 1;
      else beatenBy[i] = winner;
    }
    const cancelled = cancelDependents(
      input.fresh,
      kept,
      freshIndex,
      activeIndex,
      nodes,
      (j) =>
        outcome[j] ??
        (beatenBy[j] >= 0 ? lostTo(nodes[beatenBy[j]], j < freshCount ? 'discarded' : 'superseded') : undefined),
    );
    if (cancelled.size === 0) {
      for (const i of order) {
        if (outcome[i]) continue;
        if (kept[i])
          outcome[i] = {
            status: 'kept',
            reason: i < freshCount ? 'kept: no conflict with a better-ranked recommendation' : 'kept',
          };
        else outcome[i] = lostTo(nodes[beatenBy[i]], i < freshCount ? 'discarded' : 'superseded');
      }
      break;
    }
    for (const [i, why] of cancelled) outcome[i] = why;
  }

  const outcomes = new Map<string, Outcome>();
  const conflictCounts = new Map<string, number>();
  nodes.forEach((n, i) => {
    outcomes.set(n.id, outcome[i]!);
    conflictCounts.set(n.id, detection.conflictCount[i]);
  });
  const listed = detection.complete
    ? detection.conflicts
    : [...detection.conflicts, ...listedPairs(detection, beatenBy, position)];
  return {
    outcomes,
    conflicts: describeResolutions(listed, nodes, outcome as Outcome[], position),
    total: detection.total,
    conflictCounts,
    kept: order.filter((i) => i < freshCount && kept[i]).map((i) => nodes[i].id),
  };
}

/** Beside the conflict that decided it, each recommendation lists those with its best-ranked rivals, at most this many. */
export const SAMPLED_RIVALS = 3;

/**
 * The pair conflicts listed when there are too many to list them all: for each recommendation the
 * conflict with the one that beat it, and those with its SAMPLED_RIVALS best-ranked rivals. Chosen
 * by rank, so the selection, like the outcome, does not depend on input order.
 */
function listedPairs(detection: Detection, beatenBy: Int32Array, position: Int32Array): DetectedConflict[] {
  const n = detection.neighbours.length;
  const chosen = new Set<number>();
  const choose = (a: number, b: number) => chosen.add(a < b ? a * n + b : b * n + a);
  const best = new Int32Array(SAMPLED_RIVALS);
  detection.neighbours.forEach((near, i) => {
    if (beatenBy[i] >= 0) choose(i, beatenBy[i]);
    let found = 0;
    for (const j of near) {
      // Insertion into the few best seen so far, by rank.
      let k = Math.min(found, SAMPLED_RIVALS - 1);
      if (found === SAMPLED_RIVALS && position[j] >= position[best[k]]) continue;
      while (k > 0 && position[best[k - 1]] > position[j]) {
        best[k] = best[k - 1];
        k--;
      }
      best[k] = j;
      if (found < SAMPLED_RIVALS) found++;
    }
    for (let k = 0; k < found; k++) choose(i, best[k]);
  });
  return [...chosen].flatMap((key) => detection.pairConflicts(Math.floor(key / n), key % n));
}

function indexById(recs: readonly Candidate[], offset: number): Map<string, number> {
  const index = new Map<string, number>();
  for (const [i, r] of recs.entries()) index.set(r.id, offset + i);
  return index;
}

function lostTo(winner: Candidate, status: 'discarded' | 'superseded'): Outcome {
  return {
    status,
    by: winner.id,
    reason: `${status} in favour of ${winner.id} (priority ${winner.priority}, savings ${winner.estimated_savings.toFixed(2)})`,
  };
}

/** Fresh kept recommendations whose dependency was not kept in this walk, with what became of it. */
function cancelDependents(
  fresh: readonly Candidate[],
  kept: Uint8Array,
  freshIndex: Map<string, number>,
  activeIndex: Map<string, number>,
  nodes: Candidate[],
  fate: (j: number) => Outcome | undefined,
): Map<number, Outcome> {
  const cancelled = new Map<number, Outcome>();
  fresh.forEach((rec, i) => {
    if (!kept[i]) return;
    for (const dep of rec.dependencies) {
      const j = freshIndex.get(dep) ?? activeIndex.get(dep);
      if (j !== undefined && !kept[j]) {
        cancelled.set(i, { status: 'cancelled', reason: dependencyReason(nodes[j].id, fate(j)) });
        return;
      }
    }
  });
  return cancelled;
}

/** The true cause: "dependency loser was discarded in favour of winner (priority 9, savings 0.00)". */
export function dependencyReason(id: string, fate: Outcome | undefined): string {
  if (!fate) return `dependency ${id} was not kept`;
  const why = fate.reason.startsWith(fate.status) ? fate.reason : `${fate.status}: ${fate.reason}`;
  return `dependency ${id} was ${why}`;
}

// Plain loops over conflict-sized arrays rather than Array#map: V8 kept deoptimizing the inlined map there.
function describeResolutions(
  conflicts: DetectedConflict[],
  nodes: Candidate[],
  outcome: Outcome[],
  position: Int32Array,
): ResolvedConflict[] {
  const text = resolutionText(nodes, outcome, position);
  const resolved = new Array<ResolvedConflict>(conflicts.length);
  for (let k = 0; k < conflicts.length; k++) {
    const c = conflicts[k];
    const pair = c.type === 'resource' || c.type === 'action'; // a cycle of two is no contest between them
    resolved[k] = {
      type: c.type,
      description: c.description,
      severity: c.severity,
      conflicting_field: c.conflicting_field,
      recommendation_ids:
        c.nodes.length === 2 ? [nodes[c.nodes[0]].id, nodes[c.nodes[1]].id] : c.nodes.map((m) => nodes[m].id),
      resolution: pair ? text.pair(c.nodes[0], c.nodes[1]) : text.each(c.nodes),
    };
  }
  const order = canonicalOrder(conflicts, nodes);
  const sorted = new Array<ResolvedConflict>(order.length);
  for (let k = 0; k < order.length; k++) sorted[k] = resolved[order[k]];
  return sorted;
}

/** The words for each outcome, built once per recommendation rather than once per conflict. */
function resolutionText(nodes: Candidate[], outcome: Outcome[], position: Int32Array) {
  const perNode = (build: (m: number) => string) => {
    const built = new Array<string | undefined>(nodes.length);
    return (m: number) => (built[m] ??= build(m));
  };
  const won = perNode(
    (w) =>
      `Kept recommendation ${nodes[w].id} (priority: ${nodes[w].priority}, savings: ${nodes[w].estimated_savings.toFixed(2)})`,
  );
  const lost = perNode((m) => `, ${outcome[m].status} ${nodes[m].id}`);
  const ended = perNode((m) => `${nodes[m].id} ${outcome[m].status} (${outcome[m].reason})`);
  const neitherFirst = perNode((m) => `Neither kept: ${ended(m)}; `);
  return {
    pair(a: number, b: number): string {
      const better = position[a] < position[b] ? a : b;
      const worse = better === a ? b : a;
      if (outcome[better].status === 'kept') return won(better) + lost(worse);
      if (outcome[worse].status === 'kept') return won(worse) + lost(better);
      return neitherFirst(better) + ended(worse);
    },
    each: (members: number[]) => members.map(ended).join('; '),
  };
}

const TYPE_ORDER = { resource: 0, action: 1, dependency: 2, timing: 3 } as const;

/**
 * Canonical order: by recommendation ids (each conflict lists its ids sorted), then type, then
 * description. Ids are compared once, as ranks, so sorting many conflicts compares integers.
 */
function canonicalOrder(conflicts: DetectedConflict[], nodes: Candidate[]): number[] {
  const byId = nodes.map((_, i) => i).sort((a, b) => compareStrings(nodes[a].id, nodes[b].id));
  const idRank = new Int32Array(nodes.length);
  for (const [rank, node] of byId.entries()) idRank[node] = rank;
  const first = new Int32Array(conflicts.length);
  const second = new Int32Array(conflicts.length).fill(-1);
  const order = new Array<number>(conflicts.length);
  for (let k = 0; k < conflicts.length; k++) {
    const members = conflicts[k].nodes;
    first[k] = idRank[members[0]];
    if (members.length > 1) second[k] = idRank[members[1]];
    order[k] = k;
  }
  return order.sort((x, y) => {
    if (first[x] !== first[y]) return first[x] - first[y];
    if (second[x] !== second[y]) return second[x] - second[y];
    const [a, b] = [conflicts[x], conflicts[y]];
    return (
      compareMembers(a.nodes, b.nodes, idRank) ||
      TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
      compareStrings(a.description, b.description)
    );
  });
}

/** Element by element, a prefix first: the order of the ids joined with a separator below any id character. */
function compareMembers(a: number[], b: number[], idRank: Int32Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    if (a[i] !== b[i]) return idRank[a[i]] - idRank[b[i]];
  }
  return a.length - b.length;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
