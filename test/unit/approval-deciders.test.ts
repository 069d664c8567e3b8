// Who may decide an approval through the API: only an approver's own key, naming that approver. The
// review link's checks that need no store (forged before expired) are here; the rest run on
// DynamoDB Local in test/integration/approval-deciders.test.ts.
import { describe, expect, it } from 'vitest';
import { deciderFromKey, deciderFromLink, type LinkPorts } from '../../functions/core/access/approvals.js';
import { Expired, Forbidden } from '../../functions/core/model/errors.js';
import type { Principal } from '../../functions/core/ports/access.js';
import { signLink } from '../../functions/core/protocol/review-links.js';

const approver: Principal = { role: 'approver', customer_id: 'c-1', approver_id: 'apv_1', email: 'ann@example.com' };

describe('deciderFromKey', () => {
  it("is the key's approver and customer when user_id names it by email (any case) or by id", () => {
    const expected = { customerId: 'c-1', approver: { id: 'apv_1', email: 'ann@example.com' } };
    expect(deciderFromKey(approver, 'ann@example.com')).toEqual(expected);
    expect(deciderFromKey(approver, 'Ann@Example.COM')).toEqual(expected);
    expect(deciderFromKey(approver, 'apv_1')).toEqual(expected);
  });

  it('refuses a user_id naming another approver', () => {
    for (const userId of ['bob@example.com', 'apv_2', 'APV_1'])
      expect(() => deciderFromKey(approver, userId)).toThrow(
        new Forbidden('user_id must be the approver this key belongs to'),
      );
  });

  it('refuses every key that is not an approver’s, the admin’s included', () => {
    const others: Principal[] = [
      { role: 'admin' },
      { role: 'anonymous' },
      { role: 'agent', customer_id: 'c-1', agent_id: 'ann@example.com' },
      { role: 'agent', customer_id: 'c-1', agent_id: 'a-1', orchestrator: true },
    ];
    for (const principal of others)
      expect(() => deciderFromKey(principal, 'ann@example.com')).toThrow(
        new Forbidden('decisions need an approver key'),
      );
  });
});

describe('deciderFromLink before any store is read', () => {
  const SECRET = 's'.repeat(48);
  const now = new Date('2026-11-21T10:00:00Z');
  const untouched = () => {
    throw new Error('no store may be read for a link that fails its signature or expiry');
  };
  const ports: LinkPorts = {
    approvers: { findApprover: untouched },
    approvals: { getApproval: untouched },
    linkSecret: async () => SECRET,
    clock: { now: () => now },
  };
  const expires = now.getTime() / 1000 + 3600;
  const sig = signLink({ approvalId: 'apr_1', approverId: 'apv_1', expires }, SECRET);

  it('refuses an altered link as forged, even when the alteration also makes it expired', async () => {
    await expect(deciderFromLink('apr_2', { approver: 'apv_1', expires, sig }, ports)).rejects.toThrow(Forbidden);
    await expect(deciderFromLink('apr_1', { approver: 'apv_2', expires, sig }, ports)).rejects.toThrow(Forbidden);
    await expect(deciderFromLink('apr_1', { approver: 'apv_1', expires: expires - 7200, sig }, ports)).rejects.toThrow(
      new Forbidden('This link was altered or was not issued by Arbiter.'),
    );
  });

  it('refuses a genuine link once its expiry has passed', async () => {
    const past = now.getTime() / 1000 - 1;
    const old = signLink({ approvalId: 'apr_1', approverId: 'apv_1', expires: past }, SECRET);
    await expect(deciderFromLink('apr_1', { approver: 'apv_1', expires: past, sig: old }, ports)).rejects.toThrow(
      new Expired('The time to decide on this approval is over.'),
    );
  });
});
