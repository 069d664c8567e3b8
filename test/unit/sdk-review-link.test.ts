// parseReviewLink (sdk/client.ts): an emailed review link taken apart into the approval id and the
// signed query that reviewPage and decideByLink send back. It only reads the link: the signature is
// carried as it stands (Arbiter checks it), and the host is not its business (the client has its own).
import { ArbiterClient, parseReviewLink } from 'arbiter/client';
import { describe, expect, it } from 'vitest';
import { checkLink, reviewUrl } from '../../functions/core/protocol/review-links.js';

const SECRET = 's'.repeat(48);
const signed = { approvalId: 'approval_1', approverId: 'apr_1', expires: 2_000_000_000 };
const before = new Date(1_999_999_000 * 1000);
const link = reviewUrl('https://api.example/prod', signed, SECRET);

/** What Arbiter would say of a parsed link. */
function verdict(parsed: ReturnType<typeof parseReviewLink>) {
  const { approvalId, link: query } = parsed;
  return checkLink(
    { approvalId, approverId: query.approver, expires: Number(query.expires) },
    query.sig,
    SECRET,
    before,
  );
}

describe('parseReviewLink', () => {
  it('gives back the approval id and the signed query of a link Arbiter built, which still verifies', () => {
    const parsed = parseReviewLink(link);
    expect(parsed).toEqual({
      approvalId: 'approval_1',
      link: { approver: 'apr_1', expires: '2000000000', sig: new URL(link).searchParams.get('sig') },
    });
    expect(verdict(parsed)).toBe('valid');
  });

  it('decodes an encoded approval id and ignores a fragment', () => {
    const odd = reviewUrl('https://api.example/', { ...signed, approvalId: 'approval one' }, SECRET);
    const parsed = parseReviewLink(`${odd}#decide`);
    expect(parsed.approvalId).toBe('approval one');
    expect(verdict(parsed)).toBe('valid');
  });

  it('carries a tampered query as it stands, so Arbiter sees it forged', () => {
    for (const [key, value] of [
      ['sig', 'AAAA'],
      ['approver', 'apr_2'],
      ['expires', '2000003600'],
    ]) {
      const tampered = new URL(link);
      tampered.searchParams.set(key, value);
      const parsed = parseReviewLink(tampered.toString());
      expect(parsed.link[key as 'sig' | 'approver' | 'expires']).toBe(value);
      expect(verdict(parsed)).toBe('forged');
    }
  });

  it('reads a link of another host alike; the client sends it to its own base URL', async () => {
    const foreign = new URL(link);
    foreign.host = 'phish.example';
    const parsed = parseReviewLink(foreign.toString());
    expect(parsed).toEqual(parseReviewLink(link));
    const urls: string[] = [];
    const fetch = (async (input: URL | string) => {
      urls.push(String(input));
      return new Response('<html></html>', { headers: { 'content-type': 'text/html' } });
    }) as typeof globalThis.fetch;
    await new ArbiterClient('http://127.0.0.1:3000', undefined, { fetch }).reviewPage(parsed.approvalId, parsed.link);
    expect(new URL(urls[0]).host).toBe('127.0.0.1:3000');
  });

  it('refuses a link without the review path or any of approver, expires and sig, naming the path', () => {
    const without = (key: string) => {
      const url = new URL(link);
      url.searchParams.delete(key);
      return url.toString();
    };
    for (const broken of [without('approver'), without('expires'), without('sig')])
      expect(() => parseReviewLink(broken)).toThrow(
        new TypeError('not a review link: /prod/approvals/approval_1/review'),
      );
    for (const path of ['/prod/approvals/approval_1/decision', '/prod/approvals//review', '/prod/review'])
      expect(() => parseReviewLink(`https://api.example${path}${new URL(link).search}`)).toThrow(
        new TypeError(`not a review link: ${path}`),
      );
    expect(() => parseReviewLink(link.replace('sig=', 'sig_=')).approvalId).toThrow(TypeError);
  });

  it('refuses what is not a URL at all', () => {
    expect(() => parseReviewLink('approvals/approval_1/review?approver=a&expires=1&sig=x')).toThrow(TypeError);
  });
});
