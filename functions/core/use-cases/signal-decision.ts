// Tells the workflow waiting on an approval how it ended, exactly once.
import type { CoordinationPorts } from '../ports/coordination.js';
import { WORKFLOW_ERRORS } from '../ports/workflow-contract.js';

/**
 * Tells the waiting workflow how the approval ended, exactly once: whoever claims the signal
 * sends it. If the token is not stored yet, the "Request approval" task sends it when it arrives.
 */
export async function signalWorkflow(
  customerId: string,
  approvalId: string,
  deps: Pick<CoordinationPorts, 'approvals' | 'workflow' | 'clock'>,
): Promise<void> {
  const token = await deps.approvals.claimSignal(customerId, approvalId, deps.clock.now().toISOString());
  if (!token) return;
  const approval = await deps.approvals.getApproval(customerId, approvalId);
  if (!approval) return;
  if (approval.status === 'approved')
    await deps.workflow.completeTask(token, { decision: 'approved', approval_id: approvalId });
  else if (approval.status === 'rejected')
    await deps.workflow.failTask(
      token,
      WORKFLOW_ERRORS.Rejected,
      approval.rejection_reason || `rejected by ${approval.rejected_by}`,
    );
  // The ASL ends a withdrawn approval through its Superseded catch; the cause says the true reason.
  else if (approval.status === 'cancelled')
    await deps.workflow.failTask(
      token,
      WORKFLOW_ERRORS.Superseded,
      approval.closed_reason ?? 'the recommendation was superseded',
    );
  else if (approval.status === 'expired')
    await deps.workflow.failTask(token, WORKFLOW_ERRORS.Expired, `expired at ${approval.expires_at}`);
}
