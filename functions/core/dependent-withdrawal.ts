// Dependents follow their dependency at once (issue 13 §6): when a recommendation ends in anything
// but completed, a dependent still waiting for approval can never run. Its approval is withdrawn
// (closed cancelled, the recommendation cancelled with the true reason) and its waiting workflow
// told, which skips its plan and, in turn, withdraws its own dependents. Dependents past approval
// wait on a token per dependency and are woken by signalDependents instead.
import { signalWorkflow } from './approval-gate.js';
import { BLOCKING } from './execution-gate.js';
import type { ApprovalStore, Clock, RecommendationStore } from './ports.js';
import type { Workflow } from './workflow.js';

export interface WithdrawalDeps {
  recommendations: RecommendationStore;
  approvals: ApprovalStore;
  clock: Clock;
  workflow: Workflow;
}

/** Withdraws the pending approvals of `dependencyId`'s dependents if it ended blocking them; gives their ids. */
export async function withdrawDependents(customerId: string, dependencyId: string, deps: WithdrawalDeps): Promise<string[]> {
  const [dependency] = await deps.recommendations.getRecommendations(customerId, [dependencyId]);
  if (!dependency || !BLOCKING.has(dependency.status)) return [];
  // Bounded by the customer's active set; a reverse index would need coordinate to write it.
  const waiting = (await deps.recommendations.listActive(customerId)).filter((rec) => rec.status === 'pending_approval' && rec.approval_id && rec.dependencies?.includes(dependencyId));
  const withdrawn: string[] = [];
  for (const rec of waiting) {
    const at = deps.clock.now().toISOString();
    const reason = `dependency ${dependencyId} was ${dependency.status.replace('_', ' ')}`;
    const change = { id: rec.id, from: 'pending_approval' as const, to: 'cancelled' as const, entry: { status: 'cancelled' as const, reason, at } };
    // Decided meanwhile (approved, rejected): the decision stands and the usual path takes it from there.
    if (!(await deps.approvals.closePending(customerId, rec.approval_id as string, 'cancelled', change, at))) continue;
    await signalWorkflow(customerId, rec.approval_id as string, deps);
    withdrawn.push(rec.id);
  }
  return withdrawn;
}
