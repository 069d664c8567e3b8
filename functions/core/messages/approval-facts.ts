// Facts an approver is told, in the email and on the review page alike: the risk that decided the
// approval, and the recommendations this one depends on, each with its status and what it means
// (it runs only once every dependency completed).
import type { Recommendation } from '../model/records.js';
import { isActive } from '../model/statuses.js';

export interface DependencyState {
  id: string;
  /** The dependency's status, or `unknown` when the customer has no recommendation with that id. */
  status: string;
}

/** One line for an email or a page: "SNAP (completed), MIG (pending_approval)", and what it means. */
export function describeDependencies(dependencies: readonly DependencyState[]): string {
  if (dependencies.length === 0) return 'none';
  const listed = dependencies.map((d) => `${d.id} (${d.status.replaceAll('_', ' ')})`).join(', ');
  const blocked = dependencies.filter((d) => d.status !== 'completed' && !isActive(d.status));
  if (blocked.length > 0)
    return `${listed}. ${blocked.map((d) => d.id).join(', ')} will not complete, so this recommendation cannot run.`;
  const waiting = dependencies.filter((d) => d.status !== 'completed');
  return waiting.length > 0
    ? `${listed}. It runs only after ${waiting.length === 1 ? 'that one completes' : 'all of them complete'}.`
    : `${listed}.`;
}

/** The risk that decided the approval, and the agent's own when the policy raised it (plain text, unescaped). */
export function riskText(rec: Recommendation): string {
  const effective = rec.effective_risk ?? rec.risk_level;
  if (effective === rec.risk_level) return effective;
  return `${effective} (the agent declared ${rec.risk_level}${rec.risk_floor_reason ? `; ${rec.risk_floor_reason}` : ''})`;
}
