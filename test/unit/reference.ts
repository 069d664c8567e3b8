// A naive reference of DESIGN's domain rules, written without the core's indexes: every pair is
// compared, cycles are found by reachability, and the greedy walk is repeated until no kept
// recommendation depends on one that was not kept. O(n²) or worse: for small batches only.

import type { RiskLevel } from '../../functions/core/model/inputs.js';
import type { ActiveCandidate, Candidate, DetectionInput } from '../../functions/core/rules/conflicts.js';

/** DESIGN's list restated on purpose: the oracle must not share its data with the code it checks. */
export const CONTRADICTORY: [string, string][] = [
  ['scale_up', 'scale_down'],
  ['scale_up', 'terminate'],
  ['scale_down', 'add_capacity'],
  ['migrate_to_spot', 'migrate_to_on_demand'],
  ['migrate_to_spot', 'reserve_instances'],
  ['increase_batch_size', 'decrease_batch_size'],
  ['enable_caching', 'disable_caching'],
];

const RISK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const SETTLED_OK = [
  'pending_approval',
  'approved',
  'waiting_dependencies',
  'waiting_resources',
  'executing',
  'completed',
];

export interface ReferenceResult {
  outcomes: Map<string, { status: string; by?: string }>;
  /** `type:id,id…` for every conflict, ids sorted. */
  conflicts: string[];
}

/** The conflict types between two recommendations (resource, action), by the rules alone. */
export function pairConflicts(a: Candidate, b: Candidate): ('resource' | 'action')[] {
  const shared = a.affected_resources.some((r) => b.affected_resources.includes(r));
  const opposed = CONTRADICTORY.some(
    ([x, y]) => (a.action === x && b.action === y) || (a.action === y && b.action === x),
  );
  const unscoped = a.affected_resources.length === 0 || b.affected_resources.length === 0;
  return [...(shared ? ['resource' as const] : []), ...(opposed && (shared || unscoped) ? ['action' as const] : [])];
}

/** Whether one of two recommendations depends on the other, directly or through others of `all`. */
export function dependencyOrdered(all: readonly Candidate[]): (a: Candidate, b: Candidate) => boolean {
  const byId = new Map(all.map((r) => [r.id, r]));
  const dependsOn = (from: Candidate, target: string, seen = new Set<string>()): boolean =>
    from.dependencies.some(
      (d) => d === target || (!seen.has(d) && byId.has(d) && (seen.add(d), dependsOn(byId.get(d)!, target, seen))),
    );
  return (a, b) => dependsOn(a, b.id) || dependsOn(b, a.id);
}

/** True when `a` should be kept over `b`: priority, savings, confidence higher; risk lower; id smaller. */
export function ranksBefore(a: Candidate, b: Candidate): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.estimated_savings !== b.estimated_savings) return a.estimated_savings > b.estimated_savings;
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  if (a.risk_level !== b.risk_level) return RISK[a.risk_level] < RISK[b.risk_level];
  return a.id < b.id;
}

export function referenceResolve(input: DetectionInput): ReferenceResult {
  const fresh = input.fresh;
  const all: (Candidate | ActiveCandidate)[] = [...fresh, ...input.active];
  const isFresh = (c: Candidate) => fresh.includes(c);
  // Executing ones, and those people approved, hold their place whatever the ranking.
  const executing = (c: Candidate) =>
    'status' in c && (c.status === 'executing' || (c as ActiveCandidate).approved_by_people === true);
  const conflicts: string[] = [];
  const key = (type: string, ids: string[]) => `${type}:${[...ids].sort().join(',')}`;

  // Dependencies, direct or transitive (through any of the recommendations in play), order; they never conflict.
  const ordered = dependencyOrdered(all);
  const rivals = (a: Candidate, b: Candidate) => (ordered(a, b) ? [] : pairConflicts(a, b));
  for (const a of all) {
    for (const b of all) {
      if (a.id < b.id && (isFresh(a) || isFresh(b)))
        for (const type of rivals(a, b)) conflicts.push(key(type, [a.id, b.id]));
    }
  }

  const status = new Map<string, string>();
  const freshById = new Map(fresh.map((r) => [r.id, r]));
  const reaches = (from: Candidate, target: string, seen = new Set<string>()): boolean =>
    from.dependencies.some(
      (d) =>
        d === target || (!seen.has(d) && freshById.has(d) && (seen.add(d), reaches(freshById.get(d)!, target, seen))),
    );
  for (const r of fresh) {
    for (const d of r.dependencies) {
      if (freshById.has(d)) continue;
      const known = input.known.get(d);
      if (known === undefined) conflicts.push(key('dependency', [r.id]));
      if (known === undefined || !SETTLED_OK.includes(known)) status.set(r.id, 'cancelled');
    }
  }
  const cyclic = fresh.filter((r) => reaches(r, r.id));
  for (const r of cyclic) status.set(r.id, 'rejected');
  const groups = new Set(
    cyclic.map((r) =>
      key(
        'dependency',
        cyclic.filter((o) => o === r || (reaches(r, o.id) && reaches(o, r.id))).map((o) => o.id),
      ),
    ),
  );
  conflicts.push(...groups);
  for (const r of fresh) {
    if (r.expires_at && Date.parse(r.expires_at) <= input.now.getTime()) {
      status.set(r.id, 'expired');
      conflicts.push(key('timing', [r.id]));
    }
  }
  const blocked = [...status.keys()];
  for (const r of fresh) if (!status.has(r.id) && blocked.some((b) => reaches(r, b))) status.set(r.id, 'cancelled');

  const ranking = [...all].sort((a, b) =>
    executing(a) !== executing(b) ? (executing(a) ? -1 : 1) : ranksBefore(a, b) ? -1 : 1,
  );
  for (;;) {
    const kept: Candidate[] = [];
    const by = new Map<string, string>();
    for (const r of ranking) {
      if (status.has(r.id)) continue;
      const winner = kept.find((k) => rivals(k, r).length > 0 && (isFresh(k) || isFresh(r)));
      if (winner) by.set(r.id, winner.id);
      else kept.push(r);
    }
    const keptIds = new Set(kept.map((k) => k.id));
    const inPlay = new Set(all.map((r) => r.id));
    const cancelled = kept.filter((k) => isFresh(k) && k.dependencies.some((d) => inPlay.has(d) && !keptIds.has(d)));
    if (cancelled.length === 0) {
      const outcomes = new Map<string, { status: string; by?: string }>();
      for (const r of all) {
        if (status.has(r.id)) outcomes.set(r.id, { status: status.get(r.id)! });
        else if (keptIds.has(r.id)) outcomes.set(r.id, { status: 'kept' });
        else outcomes.set(r.id, { status: isFresh(r) ? 'discarded' : 'superseded', by: by.get(r.id) });
      }
      return { outcomes, conflicts: conflicts.sort() };
    }
    for (const c of cancelled) status.set(c.id, 'cancelled');
  }
}

/** A run order the slow, plain way: take the best ready one, add what it unlocks, sort the ready ones again. */
export function referenceDependencyOrder<T extends { id: string; dependencies: readonly string[] }>(
  items: readonly T[],
  tieBreak: (a: T, b: T) => number,
): T[] {
  const ids = new Set(items.map((item) => item.id));
  const waiting = new Map(
    items.map((item) => [item, item.dependencies.filter((d) => ids.has(d) && d !== item.id).length]),
  );
  let ready = items.filter((item) => waiting.get(item) === 0).sort(tieBreak);
  const order: T[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    const unlocked: T[] = [];
    for (const item of items) {
      const times = item.dependencies.filter((d) => d === next.id && d !== item.id).length;
      if (times === 0) continue;
      waiting.set(item, waiting.get(item)! - times);
      if (waiting.get(item) === 0) unlocked.push(item);
    }
    ready = [...ready, ...unlocked].sort(tieBreak);
  }
  return order;
}
