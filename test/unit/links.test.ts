import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executionName } from '../../functions/core/ports/workflow.js';
import { checkLink, reviewUrl, signLink } from '../../functions/core/protocol/review-links.js';

const SECRET = 's'.repeat(48);
const link = { approvalId: 'approval_1', approverId: 'apr_1', expires: 2_000_000_000 };
const before = new Date(1_999_999_000 * 1000);

describe('signed review links', () => {
  it('accepts its own signature until the expiry', () => {
    const sig = signLink(link, SECRET);
    expect(checkLink(link, sig, SECRET, before)).toBe('valid');
    expect(checkLink(link, sig, SECRET, new Date(link.expires * 1000))).toBe('expired');
  });

  it('calls any altered field or foreign key forged, even when the expiry is also past', () => {
    const sig = signLink(link, SECRET);
    expect(checkLink({ ...link, approverId: 'apr_2' }, sig, SECRET, before)).toBe('forged');
    expect(checkLink({ ...link, approvalId: 'approval_2' }, sig, SECRET, before)).toBe('forged');
    expect(checkLink({ ...link, expires: link.expires + 3600 }, sig, SECRET, before)).toBe('forged');
    expect(checkLink({ ...link, expires: 1 }, sig, SECRET, before)).toBe('forged');
    expect(checkLink(link, sig, 't'.repeat(48), before)).toBe('forged');
    expect(checkLink(link, '', SECRET, before)).toBe('forged');
  });

  it('never accepts a random signature', () => {
    fc.assert(
      fc.property(
        fc.string(),
        (sig) => checkLink(link, sig, SECRET, before) === 'forged' || sig === signLink(link, SECRET),
      ),
    );
  });

  it('builds the URL under the API base, stage path included', () => {
    const url = new URL(reviewUrl('https://api.example/prod', link, SECRET));
    expect(url.pathname).toBe('/prod/approvals/approval_1/review');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      approver: 'apr_1',
      expires: '2000000000',
      sig: signLink(link, SECRET),
    });
  });
});

describe('execution names', () => {
  it('are valid Step Functions names and differ for different pairs', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.string({ minLength: 1, maxLength: 128 }),
        (c, r, r2) => {
          const name = executionName(c, r);
          expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
          if (r !== r2) expect(executionName(c, r2)).not.toBe(name);
        },
      ),
    );
    expect(executionName('customer-1', 'rec-001')).toMatch(/^customer-1--rec-001-[0-9a-f]{10}$/);
  });
});
