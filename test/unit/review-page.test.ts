import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../functions/adapters/html.js';
import { messagePage, REVIEW_PAGE_CSP, reviewPage } from '../../functions/adapters/review-page.js';
import { composeBrief } from '../../functions/core/messages/approval-brief.js';
import type { DependencyState } from '../../functions/core/messages/approval-facts.js';
import type { Approval, Recommendation } from '../../functions/core/model/records.js';

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
  dependencies: [],
  conflicts: [],
} as unknown as Recommendation;
const approval = {
  id: 'a1',
  status: 'pending',
  approvals_required: 2,
  votes: [],
  expires_at: '2030-01-01T00:00:00.000Z',
} as unknown as Approval;
const link = { approver: 'apr_1', expires: 1893456000, sig: 'abc"><script>' };
const NOW = new Date('2029-12-30T00:00:00.000Z');

/** The page with the brief the handler would read, and these dependencies. */
function review(r: Recommendation, a: Approval, l: typeof link, email: string, dependencies: DependencyState[] = []) {
  return reviewPage(r, a, l, email, { ...composeBrief(r, a, [], NOW), dependencies });
}

describe('review page', () => {
  it('shows every value as text: no markup from the recommendation survives', () => {
    const html = review(rec, approval, link, 'ann@example.com');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).toContain('value="abc&#34;&#62;&#60;script&#62;"');
  });

  it('offers the decision as a form post, never as a link', () => {
    const html = review(rec, approval, link, 'ann@example.com');
    expect(html).toMatch(/<form method="post" action="decision">/);
    expect(html).not.toMatch(/href=/);
  });

  it('offers no form once the approval is closed', () => {
    expect(review(rec, { ...approval, status: 'approved' }, link, 'ann@example.com')).not.toContain('<form');
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

describe('review page: what the approver needs to know', () => {
  it('lists the dependencies with their state, and says when one will not complete', () => {
    const html = review(rec, approval, link, 'ann@example.com', [
      { id: 'snap-1', status: 'completed' },
      { id: 'a<b>', status: 'rejected' },
    ]);
    expect(html).toContain(
      '<dt>Depends on</dt><dd>snap-1 (completed), a&#60;b&#62; (rejected). a&#60;b&#62; will not complete, so this recommendation cannot run.</dd>',
    );
    expect(review(rec, approval, link, 'ann@example.com')).toContain('<dt>Depends on</dt><dd>none</dd>');
  });

  it('shows the risk that decided the approval and the one the agent declared', () => {
    const raised = {
      ...rec,
      risk_level: 'low',
      effective_risk: 'critical',
      risk_floor_reason: 'the policy puts delete_database at critical',
    } as Recommendation;
    expect(review(raised, approval, link, 'ann@example.com')).toContain(
      '<dd class="risk-critical">critical (the agent declared low; the policy puts delete_database at critical)</dd>',
    );
  });

  it('says whose words the title and description are', () => {
    expect(review(rec, approval, link, 'ann@example.com')).toContain(
      "are the words of the agent agent&#60;b&#62;, not Arbiter's",
    );
  });

  it('says plainly that a cancelled approval was withdrawn, and why', () => {
    const withdrawn = review(
      { ...rec, status: 'cancelled', status_reason: 'dependency rec-a was rejected' } as Recommendation,
      { ...approval, status: 'cancelled' },
      link,
      'ann@example.com',
    );
    expect(withdrawn).toContain(
      '<p class="status">This approval was withdrawn, so there is nothing to decide: dependency rec-a was rejected.</p>',
    );
    expect(withdrawn).not.toContain('<form');
  });
});
