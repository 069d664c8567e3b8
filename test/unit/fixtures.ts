// Builders for the pure core's inputs: a candidate with sensible defaults, and a detection input.

import type { RecommendationInput } from '../../functions/core/model/inputs.js';
import type { ActiveCandidate, Candidate, DetectionInput } from '../../functions/core/rules/conflicts.js';
import { resolveConflicts } from '../../functions/core/rules/resolution.js';

export const NOW = new Date('2025-10-20T12:00:00Z');

export function rec(id: string, fields: Partial<Candidate> = {}): Candidate {
  return {
    id,
    action: 'optimize',
    affected_resources: [],
    dependencies: [],
    priority: 5,
    estimated_savings: 0,
    confidence: 0.5,
    risk_level: 'low',
    ...fields,
  };
}

export function active(
  id: string,
  status: ActiveCandidate['status'],
  fields: Partial<Candidate> = {},
): ActiveCandidate {
  return { ...rec(id, fields), status };
}

export function input(fresh: Candidate[], extra: Partial<DetectionInput> = {}): DetectionInput {
  const active = extra.active ?? [];
  const known = extra.known ?? new Map(active.map((a) => [a.id, a.status]));
  return { fresh, active, known, freezeWindows: [], now: NOW, ...extra };
}

/** Resolve and return the outcome status of each id, for terse assertions. */
export function statuses(fresh: Candidate[], extra: Partial<DetectionInput> = {}): Record<string, string> {
  const { outcomes } = resolveConflicts(input(fresh, extra));
  return Object.fromEntries([...outcomes].map(([id, o]) => [id, o.status]));
}

/** A full recommendation as the schema produces it, for policy and plan tests. */
export function recommendationInput(fields: Partial<RecommendationInput> = {}): RecommendationInput {
  return {
    id: 'rec-1',
    agent_id: 'cost-agent-1',
    agent_type: 'cost',
    type: 'cost',
    title: 'Do something',
    description: '',
    action: 'optimize',
    risk_level: 'low',
    estimated_savings: 0,
    estimated_impact: '',
    affected_resources: [],
    parameters: {},
    dependencies: [],
    priority: 5,
    confidence: 0.5,
    metadata: {},
    ...fields,
  };
}
