// A TypeScript port of seed 000's coordination (conflicts.go): DetectConflicts compares every pair
// (findCommonResources builds a map per pair, checkActionConflict, checkDependencyConflict), then
// ResolveConflicts settles the conflicts one by one (findRecommendation is a linear search) and
// keeps whatever never lost. Faithful to the seed, bugs included (the action table is one-sided;
// a recommendation can lose to one that is itself discarded). Left out, to favour the baseline:
// log lines, a uuid and a timestamp per conflict, and the action table being rebuilt on each call.
import type { Candidate } from '../functions/core/rules/conflicts.js';

export interface SeedConflict {
  type: 'resource' | 'action' | 'dependency';
  recommendations: [string, string];
  description: string;
  severity: string;
  conflicting_field: string;
  resolved: boolean;
  resolution?: string;
}

const CONTRADICTORY: Record<string, string[]> = {
  scale_up: ['scale_down', 'terminate'],
  scale_down: ['scale_up', 'add_capacity'],
  migrate_to_spot: ['migrate_to_on_demand', 'reserve_instances'],
  increase_batch_size: ['decrease_batch_size'],
  enable_caching: ['disable_caching'],
};

const RISK_SCORE = { low: 1, medium: 2, high: 3, critical: 4 } as const;

export function seedDetectConflicts(recommendations: readonly Candidate[]): SeedConflict[] {
  const conflicts: SeedConflict[] = [];
  for (let i = 0; i < recommendations.length; i++) {
    for (let j = i + 1; j < recommendations.length; j++) {
      const rec1 = recommendations[i];
      const rec2 = recommendations[j];
      const resource = checkResourceConflict(rec1, rec2);
      if (resource) conflicts.push(resource);
      const action = checkActionConflict(rec1, rec2);
      if (action) conflicts.push(action);
      const dependency = checkDependencyConflict(rec1, rec2);
      if (dependency) conflicts.push(dependency);
    }
  }
  return conflicts;
}

function checkResourceConflict(rec1: Candidate, rec2: Candidate): SeedConflict | undefined {
  const common = findCommonResources(rec1.affected_resources, rec2.affected_resources);
  if (common.length === 0) return undefined;
  return conflict(
    'resource',
    rec1,
    rec2,
    `Both recommendations affect resources: [${common.join(' ')}]`,
    calculateSeverity(rec1, rec2),
    'affected_resources',
  );
}

function checkActionConflict(rec1: Candidate, rec2: Candidate): SeedConflict | undefined {
  const opposed = CONTRADICTORY[rec1.action];
  if (!opposed) return undefined;
  for (const action of opposed) {
    if (rec2.action === action)
      return conflict(
        'action',
        rec1,
        rec2,
        `Contradictory actions: ${rec1.action} vs ${rec2.action}`,
        'high',
        'action',
      );
  }
  return undefined;
}

function checkDependencyConflict(rec1: Candidate, rec2: Candidate): SeedConflict | undefined {
  if (rec1.dependencies.includes(rec2.id) && rec2.dependencies.includes(rec1.id)) {
    return conflict('dependency', rec1, rec2, 'Circular dependency detected', 'high', 'dependencies');
  }
  return undefined;
}

function conflict(
  type: SeedConflict['type'],
  rec1: Candidate,
  rec2: Candidate,
  description: string,
  severity: string,
  field: string,
): SeedConflict {
  return {
    type,
    recommendations: [rec1.id, rec2.id],
    description,
    severity,
    conflicting_field: field,
    resolved: false,
  };
}

function findCommonResources(list1: readonly string[], list2: readonly string[]): string[] {
  const common: string[] = [];
  const resourceMap = new Map<string, boolean>();
  for (const r of list1) resourceMap.set(r, true);
  for (const r of list2) if (resourceMap.get(r)) common.push(r);
  return common;
}

function calculateSeverity(rec1: Candidate, rec2: Candidate): string {
  if (rec1.risk_level === 'high' && rec2.risk_level === 'high') return 'high';
  if (rec1.risk_level === 'high' || rec2.risk_level === 'high') return 'medium';
  return 'low';
}

export function seedResolveConflicts(
  recommendations: readonly Candidate[],
  conflicts: SeedConflict[],
): { kept: Candidate[]; resolved: SeedConflict[] } {
  if (conflicts.length === 0) return { kept: [...recommendations], resolved: conflicts };
  const kept = new Map<string, boolean>(recommendations.map((r) => [r.id, true]));
  const resolved: SeedConflict[] = [];
  for (const c of conflicts) {
    const rec1 = findRecommendation(recommendations, c.recommendations[0]);
    const rec2 = findRecommendation(recommendations, c.recommendations[1]);
    if (!rec1 || !rec2) continue;
    const winner = selectWinner(rec1, rec2);
    const loser = winner === rec1 ? rec2 : rec1;
    kept.set(loser.id, false);
    const done = {
      ...c,
      resolved: true,
      resolution: `Kept recommendation ${winner.id} (priority: ${winner.priority}, savings: ${winner.estimated_savings.toFixed(2)}), discarded ${loser.id}`,
    };
    resolved.push(done);
  }
  return { kept: recommendations.filter((r) => kept.get(r.id)), resolved };
}

function selectWinner(rec1: Candidate, rec2: Candidate): Candidate {
  if (rec1.priority !== rec2.priority) return rec1.priority > rec2.priority ? rec1 : rec2;
  if (rec1.estimated_savings !== rec2.estimated_savings)
    return rec1.estimated_savings > rec2.estimated_savings ? rec1 : rec2;
  if (rec1.confidence !== rec2.confidence) return rec1.confidence > rec2.confidence ? rec1 : rec2;
  if (RISK_SCORE[rec1.risk_level] < RISK_SCORE[rec2.risk_level]) return rec1;
  return rec1;
}

function findRecommendation(recommendations: readonly Candidate[], id: string): Candidate | undefined {
  for (const r of recommendations) if (r.id === id) return r;
  return undefined;
}

/** The seed's whole coordination step on one batch. */
export function seedCoordinate(recommendations: readonly Candidate[]) {
  return seedResolveConflicts(recommendations, seedDetectConflicts(recommendations));
}
