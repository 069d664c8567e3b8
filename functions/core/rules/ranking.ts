// The one ordering that decides every conflict: priority desc, estimated_savings desc,
// confidence desc, risk asc, then id. It is total, so the outcome never depends on input order.
import type { RiskLevel } from '../model/inputs.js';

export const RISK_RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface Rankable {
  id: string;
  priority: number;
  estimated_savings: number;
  confidence: number;
  risk_level: RiskLevel;
}

/**
 * Negative when `a` outranks `b`. Only -1, 0 or 1: a sort of 100,000 would otherwise box a
 * fractional difference of savings into a new heap number at every comparison.
 */
export function compareRank(a: Rankable, b: Rankable): number {
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  if (a.estimated_savings !== b.estimated_savings) return a.estimated_savings > b.estimated_savings ? -1 : 1;
  if (a.confidence !== b.confidence) return a.confidence > b.confidence ? -1 : 1;
  const risk = RISK_RANK[a.risk_level] - RISK_RANK[b.risk_level];
  if (risk !== 0) return risk < 0 ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function outranks(a: Rankable, b: Rankable): boolean {
  return compareRank(a, b) < 0;
}
