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

/** Negative when `a` outranks `b`. */
export function compareRank(a: Rankable, b: Rankable): number {
  return (
    b.priority - a.priority ||
    b.estimated_savings - a.estimated_savings ||
    b.confidence - a.confidence ||
    RISK_RANK[a.risk_level] - RISK_RANK[b.risk_level] ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function outranks(a: Rankable, b: Rankable): boolean {
  return compareRank(a, b) < 0;
}
