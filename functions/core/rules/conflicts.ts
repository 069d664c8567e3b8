// Conflict detection: pair conflicts (resource, action) through the resource index, so the cost
// grows with the overlaps, not with n²; dependency and timing conflicts, which concern one
// recommendation (or the members of a cycle) each.

import type { FreezeWindow, TimeWindow } from '../model/inputs.js';
import type { ConflictType, Severity } from '../model/records.js';
import type { RecommendationStatus } from '../model/statuses.js';
import { type BatchIndex, indexBatch } from './batch-index.js';
import { blockDependents, findDependencyConflicts } from './dependency-conflicts.js';
import { findPairConflicts, type PairLinks, PairWords, severityOfRisk } from './pair-conflicts.js';
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

/** Ids are unique across `fresh` and `active` (the request refuses duplicates; stored ones are not fresh). */
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
  readonly conflicts: DetectedConflict[];
  /** Whether `conflicts` lists every conflict; if not, pair conflicts are built on demand (pairConflicts). */
  complete: boolean;
  /** For each node, the nodes it conflicts with pairwise (resource or action). */
  readonly neighbours: number[][];
  /** Fresh nodes that cannot be kept whatever the ranking says (timing, cycles, unknown dependencies). */
  ineligible: Map<number, Ineligibility>;
  /** How many conflicts each node is part of, listed or not. */
  conflictCount: Int32Array;
  /** How many conflicts there are in all, listed or not. */
  total: number;
  /** The conflicts (resource and/or action) between two linked nodes. */
  pairConflicts(a: number, b: number): DetectedConflict[];
  /** The batch in numbers. */
  batch: BatchIndex;
  /** The pair conflicts as links between nodes: `neighbours` in flat arrays. */
  links: PairLinks;
  /** The dependency and timing conflicts alone. */
  nodeConflicts: DetectedConflict[];
  /** The words of pair conflicts, shared by everything listed from this detection. */
  words: PairWords;
}

/**
 * Pair conflicts grow with the square of a crowd on one resource (1,000 on one: 499,500). Up to
 * this many they are all listed; beyond, only counted, and resolution lists a bounded selection.
 */
export const FULL_PAIR_LIST = 5_000;

export function detectConflicts(input: DetectionInput): Detection {
  const batch = indexBatch(input);
  const links = findPairConflicts(batch);
  const nodeConflicts: DetectedConflict[] = [];
  const ineligible = new Map<number, Ineligibility>();
  const edges = findDependencyConflicts(input, batch, nodeConflicts, ineligible);
  findTimingConflicts(input, nodeConflicts, ineligible);
  blockDependents(input.fresh, edges, ineligible);
  const { conflictCount } = links;
  for (const c of nodeConflicts) for (const m of c.nodes) conflictCount[m]++;
  return new BatchDetection(batch, links, nodeConflicts, ineligible);
}

/** Pair conflicts stay links until asked for: `conflicts` and `neighbours` are built on first use. */
class BatchDetection implements Detection {
  readonly complete: boolean;
  readonly conflictCount: Int32Array;
  readonly total: number;
  readonly words: PairWords;
  private listed?: DetectedConflict[];
  private lists?: number[][];

  constructor(
    readonly batch: BatchIndex,
    readonly links: PairLinks,
    readonly nodeConflicts: DetectedConflict[],
    readonly ineligible: Map<number, Ineligibility>,
  ) {
    this.complete = links.total <= FULL_PAIR_LIST;
    this.conflictCount = links.conflictCount;
    this.total = links.total + nodeConflicts.length;
    this.words = new PairWords(batch);
  }

  get conflicts(): DetectedConflict[] {
    if (this.listed) return this.listed;
    this.listed = [...this.nodeConflicts];
    if (this.complete) {
      const { start, near } = this.links;
      for (let a = 0; a + 1 < start.length; a++) {
        for (let k = start[a]; k < start[a + 1]; k++)
          if (a < near[k]) this.listed.push(...this.pairConflicts(a, near[k]));
      }
    }
    return this.listed;
  }

  get neighbours(): number[][] {
    const { start, near } = this.links;
    this.lists ??= Array.from({ length: start.length - 1 }, (_, i) =>
      Array.from(near.subarray(start[i], start[i + 1])),
    );
    return this.lists;
  }

  pairConflicts(a: number, b: number): DetectedConflict[] {
    const { nodes } = this.batch;
    const [first, second] = nodes[a].id < nodes[b].id ? [a, b] : [b, a];
    const shared = this.words.resourceConflict(first, second);
    const opposed = this.words.actionConflict(first, second);
    const pair = (type: 'resource' | 'action', description: string, severity: Severity): DetectedConflict => ({
      type,
      nodes: [first, second],
      description,
      severity,
      conflicting_field: type === 'resource' ? 'affected_resources' : 'action',
    });
    return [
      ...(shared === undefined ? [] : [pair('resource', shared, this.words.resourceSeverity(a, b))]),
      ...(opposed === undefined ? [] : [pair('action', opposed, 'high')]),
    ];
  }
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
      severity: severityOfRisk(RISK_RANK[rec.risk_level]),
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
