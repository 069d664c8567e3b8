// Subjects SNS accepts, and agent text that cannot pose as Arbiter in an approval email.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeBrief } from '../../functions/core/messages/approval-brief.js';
import { approvalMessage } from '../../functions/core/messages/approval-email.js';
import type { DependencyState } from '../../functions/core/messages/approval-facts.js';
import {
  defang,
  emailSubject,
  MAX_SUBJECT_CHARS,
  quotedAgentText,
} from '../../functions/core/messages/message-safety.js';
import type { Recommendation, StoredApproval } from '../../functions/core/model/records.js';
import type { ApproverRecord } from '../../functions/core/ports/index.js';
import { linksIn } from '../../local/sns/outbox.js';

/** What SNS's Publish accepts as a Subject (the stricter, ASCII reading of its reference). */
const SNS_SUBJECT = /^[!-~][ -~]{0,98}$/;

describe('emailSubject', () => {
  it.each([
    [
      'French',
      'Réduire la facture: œuvre «spéciale» à Noël — coût',
      'Reduire la facture: oeuvre "speciale" a Noel - cout',
    ],
    ['German', 'Größe ändern', 'Grosse andern'],
    ['line breaks and tabs', 'first\nsecond\r\nthird\tfourth', 'first second third fourth'],
    [
      'control and invisible characters',
      'bell\u0007 zero\u200bwidth \u202eright-to-left',
      'bell zerowidth right-to-left',
    ],
    ['leading white space', '   \n padded', 'padded'],
  ])('makes a %s title a subject SNS accepts', (_, title, expected) => {
    expect(emailSubject(title)).toBe(expected);
    expect(emailSubject(title)).toMatch(SNS_SUBJECT);
  });

  it('cuts 200 characters to fewer than 100, at a word, and says so', () => {
    const subject = emailSubject(`Approval needed (high risk): ${'migrate the fleet '.repeat(12)}`);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
    expect(subject).toMatch(/fleet\.\.\.$|migrate\.\.\.$|the\.\.\.$/);
  });

  it('gives a subject SNS accepts for any text at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => SNS_SUBJECT.test(emailSubject(text))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => SNS_SUBJECT.test(emailSubject(text))),
      { numRuns: 2000 },
    );
  });
});

describe('defang', () => {
  it.each([
    ['http://evil.example/approve?x=1', 'hxxp[:]//evil[.]example/approve?x=1'],
    ['HTTPS://Evil.Example', 'HxxPS[:]//Evil[.]Example'],
    ['see www.evil.example now', 'see www[.]evil[.]example now'],
    ['mail boss@evil.example', 'mail boss@evil[.]example'],
    ['mailto:boss@evil.example', 'mailto[:]boss@evil[.]example'],
    ['javascript:alert(1)', 'javascript[:]alert(1)'],
    ['ftp://files.evil.example', 'ftp[:]//files[.]evil[.]example'],
  ])('makes %s unclickable', (text, expected) => {
    expect(defang(text)).toBe(expected);
    expect(linksIn(defang(text))).toEqual([]);
  });

  it('leaves ordinary prose and numbers alone', () => {
    expect(defang('Saves 12.5% (e.g. on i-0abc), v1.2')).toBe('Saves 12.5% (e.g. on i-0abc), v1.2');
  });
});

describe('quotedAgentText', () => {
  it('labels the text and quotes every line, so a forged end marker is still quoted', () => {
    const block = quotedAgentText('cost-agent-1', [
      ['Description', "fine\n--- End of the agent's text ---\nReview and decide: http://evil.example/x"],
    ]);
    const lines = block.split('\n');
    expect(lines[0]).toBe('--- Written by the agent cost-agent-1, not by Arbiter. Links in it are disabled. ---');
    expect(lines.at(-1)).toBe("--- End of the agent's text ---");
    expect(lines.slice(1, -1).every((line) => line.startsWith('> '))).toBe(true);
    expect(block).toContain('>   Review and decide: hxxp[:]//evil[.]example/x');
  });

  it('cuts very long text and points to the review page', () => {
    expect(quotedAgentText('a', [['Description', 'x'.repeat(5000)]], 100)).toContain(
      `${'x'.repeat(100)}... (cut here; the review page shows all of it)`,
    );
  });
});

const LINK = 'http://127.0.0.1:3000/approvals/apr_1/review?approver=ap_1&expires=1893456000&sig=abc';
const approval = { id: 'apr_1', approvals_required: 2, expires_at: '2030-01-01T00:00:00.000Z' } as StoredApproval;
const approver = { approver_id: 'ap_1', email: 'ann@example.com', name: 'Ann' } as ApproverRecord;
const hostile = {
  id: 'rec-1',
  customer_id: 'customer-1',
  agent_id: 'cost-agent-1',
  action: 'migrate_to_spot',
  risk_level: 'high',
  estimated_savings: 10,
  affected_resources: ['i-1', 'www.evil.example'],
  title: 'Économies\nReview and decide: http://evil.example/a',
  description: '\n\nReview and decide: http://evil.example/approve?approval=apr_1\n\nwww.evil.example',
  estimated_impact: 'see https://evil.example/impact',
  dependencies: [],
  conflicts: [],
} as unknown as Recommendation;

/** The email with the brief the task would read, and these dependencies. */
function email(
  r: Recommendation,
  a: StoredApproval,
  to: ApproverRecord,
  link: string,
  dependencies: DependencyState[] = [],
) {
  return approvalMessage(r, a, to, link, {
    ...composeBrief(r, { ...a, votes: [] }, [], new Date('2029-12-31T00:00:00.000Z')),
    dependencies,
  });
}

describe('the approval email', () => {
  const message = email(hostile, approval, approver, LINK);
  const lines = message.text.split('\n');

  it("has Arbiter's review link as its only clickable link, before anything the agent wrote", () => {
    expect(linksIn(message.text)).toEqual([LINK]);
    expect(lines.indexOf(LINK)).toBeGreaterThan(0);
    expect(lines.indexOf(LINK)).toBeLessThan(lines.findIndex((line) => line.startsWith('--- Written by the agent')));
    expect(lines.filter((line) => line.includes('Review and decide'))).toEqual([
      'Review and decide here (the only link in this email; it opens Arbiter):',
      '>   Review and decide: hxxp[:]//evil[.]example/a',
      '> Description: Review and decide: hxxp[:]//evil[.]example/approve?approval=apr_1',
    ]);
  });

  it('greets the approver by the name or address the admin registered, as written', () => {
    expect(lines[0]).toBe('Hello Ann,');
    expect(email(hostile, approval, { ...approver, name: undefined }, LINK).text.split('\n')[0]).toBe(
      'Hello ann@example.com,',
    );
  });

  it("quotes the agent's title, description and impact under its name", () => {
    expect(message.text).toContain(
      '--- Written by the agent cost-agent-1, not by Arbiter. Links in it are disabled. ---',
    );
    expect(message.text).toContain('> Estimated impact: see hxxps[:]//evil[.]example/impact');
    expect(message.text).toContain('Resources: i-1, www[.]evil[.]example');
  });

  it('has a subject SNS accepts', () => {
    expect(message.subject).toMatch(SNS_SUBJECT);
    expect(message.subject).toMatch(
      /^Approval needed \(high risk\): Economies Review and decide: hxxp\[:\]\/\/evil\[\.\]example\/a$/,
    );
  });

  it('lists the dependencies with their state, and the risk the policy raised', () => {
    const raised = {
      ...hostile,
      risk_level: 'low',
      effective_risk: 'critical',
      risk_floor_reason: 'policy floor for migrate_to_spot',
    } as Recommendation;
    const text = email(raised, approval, approver, LINK, [
      { id: 'snap.evil.example', status: 'pending_approval' },
    ]).text;
    expect(text).toContain(
      'Depends on: snap[.]evil[.]example (pending approval). It runs only after that one completes.',
    );
    expect(text).toContain('Risk: critical (the agent declared low; policy floor for migrate_to_spot)');
    expect(email(raised, approval, approver, LINK).subject).toMatch(/^Approval needed \(critical risk\)/);
    expect(message.text).toContain('Depends on: none');
  });

  it('lists at most 20 resources and says how many more there are', () => {
    const many = email(
      { ...hostile, affected_resources: Array.from({ length: 1000 }, (_, i) => `r-${i}`.padEnd(200, 'x')) },
      approval,
      approver,
      LINK,
    );
    expect(many.text).toContain('and 980 more (the review page lists them all)');
    expect(Buffer.byteLength(many.text)).toBeLessThan(16 * 1024);
  });
});
