import { describe, expect, it } from 'vitest';
import type { Approval, Recommendation } from '../../functions/core/model.js';
import { escapeHtml, messagePage, REVIEW_PAGE_CSP, reviewPage } from '../../functions/core/review-page.js';

const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const rec = {
  id: 'rec-1',
  title: hostile,
  description: `"quoted" & 'single' ${hostile}`,
  agent_id: 'agent<b>',
  action: 'migrate_to_spot',
  affected_resources: ['i-1', '<i>'],
  risk_level: 'critical',
  estimated_savings: 12.5,
  estimated_impact: hostile,
} as unknown as Recommendation;
const approval = { id: 'a1', status: 'pending', approvals_required: 2, votes: [], expires_at: '2030-01-01T00:00:00.000Z' } as unknown as Approval;
const link = { approver: 'apr_1', expires: 1893456000, sig: 'abc"><script>' };

describe('review page', () => {
  it('shows every value as text: no markup from the recommendation survives', () => {
    const html = reviewPage(rec, approval, link, 'ann@example.com');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).toContain('value="abc&#34;&#62;&#60;script&#62;"');
  });

  it('offers the decision as a form post, never as a link', () => {
    const html = reviewPage(rec, approval, link, 'ann@example.com');
    expect(html).toMatch(/<form method="post" action="decision">/);
    expect(html).not.toMatch(/href=/);
  });

  it('offers no form once the approval is closed', () => {
    expect(reviewPage(rec, { ...approval, status: 'approved' }, link, 'ann@example.com')).not.toContain('<form');
  });

  it('allows only its own style and posting back to itself', () => {
    expect(REVIEW_PAGE_CSP).toContain("default-src 'none'");
    expect(REVIEW_PAGE_CSP).toContain("form-action 'self'");
    expect(REVIEW_PAGE_CSP).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(REVIEW_PAGE_CSP).not.toContain('unsafe');
  });

  it('escapes the five characters that matter in HTML', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
    expect(messagePage('<t>', '<m>')).not.toContain('<m>');
  });
});
