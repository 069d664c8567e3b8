// The workflow's "Record ..." states: make the stored state say how the approval ended. Each is
// idempotent: if a decision endpoint already recorded it, nothing changes.
import type { ApprovalStore, Clock, StatusChange } from './ports.js';

export interface OutcomeInput {
  customer_id: string;
  recommendation_id: string;
  approval_id: string | null;
  outcome: 'rejected' | 'superseded' | 'expired';
}

export async function recordOutcome(input: OutcomeInput, deps: { approvals: ApprovalStore; clock: Clock }): Promise<{ changed: boolean }> {
  if (!input.approval_id) return { changed: false };
  const at = deps.clock.now().toISOString();
  if (input.outcome === 'expired') {
    const rec: StatusChange = { id: input.recommendation_id, from: 'pending_approval', to: 'expired', entry: { status: 'expired', reason: 'no decision before the approval expired', at } };
    return { changed: await deps.approvals.closePending(input.customer_id, input.approval_id, 'expired', rec, at) };
  }
  if (input.outcome === 'superseded') {
    // Coordinate superseded the recommendation already; only a still-pending approval is left to close.
    return { changed: await deps.approvals.closePending(input.customer_id, input.approval_id, 'cancelled', undefined, at) };
  }
  // A rejection is recorded by the decision itself, before the workflow hears of it.
  return { changed: false };
}
