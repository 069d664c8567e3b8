// Who may decide an approval: an approver's own key naming that approver, or a valid review link
// (signed, unexpired) of an approver who still exists, for an approval that exists. Decisions are
// personal: neither the admin nor an agent decides for an approver.
import { Expired, Forbidden, NotFound } from '../model/errors.js';
import type { StoredApproval } from '../model/records.js';
import type { ApproverStore, Principal } from '../ports/access.js';
import type { Clock } from '../ports/clock.js';
import type { ApprovalStore } from '../ports/coordination.js';
import { checkLink } from '../protocol/review-links.js';

/** Who decides, and for which customer. */
export interface Decider {
  customerId: string;
  approver: { id: string; email: string };
}

/** What a review link carries besides the approval id: the approver, its expiry (epoch seconds) and signature. */
export interface SignedLink {
  approver: string;
  expires: number;
  sig: string;
}

export interface LinkPorts {
  approvers: Pick<ApproverStore, 'findApprover'>;
  approvals: Pick<ApprovalStore, 'getApproval'>;
  linkSecret: () => Promise<string>;
  clock: Clock;
}

/** The API: only an approver's key, and `user_id` must name that approver (by email or id). */
export function deciderFromKey(principal: Principal, userId: string): Decider {
  if (principal.role !== 'approver') throw new Forbidden('decisions need an approver key');
  if (userId.toLowerCase() !== principal.email && userId !== principal.approver_id)
    throw new Forbidden('user_id must be the approver this key belongs to');
  return { customerId: principal.customer_id, approver: { id: principal.approver_id, email: principal.email } };
}

/**
 * The review link: forged or altered (403) before expired (410), then the approver (403 once
 * removed) and the approval (404). Returns the approval too: the review page shows it.
 */
export async function deciderFromLink(
  approvalId: string,
  link: SignedLink,
  deps: LinkPorts,
): Promise<Decider & { approval: StoredApproval }> {
  const check = checkLink(
    { approvalId, approverId: link.approver, expires: link.expires },
    link.sig,
    await deps.linkSecret(),
    deps.clock.now(),
  );
  if (check === 'forged') throw new Forbidden('This link was altered or was not issued by Arbiter.');
  if (check === 'expired') throw new Expired('The time to decide on this approval is over.');
  const approver = await deps.approvers.findApprover(link.approver);
  if (!approver) throw new Forbidden('This approver no longer exists.');
  const approval = await deps.approvals.getApproval(approver.customer_id, approvalId);
  if (!approval) throw new NotFound('This approval does not exist.');
  return {
    customerId: approver.customer_id,
    approver: { id: approver.approver_id, email: approver.email },
    approval,
  };
}
