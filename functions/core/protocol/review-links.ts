// Review links in approval emails: approval id, approver and expiry, signed with HMAC-SHA256.
// The signature is a capability to review and decide as that approver until the expiry.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ReviewLink {
  approvalId: string;
  approverId: string;
  /** Epoch seconds. */
  expires: number;
}

export type LinkCheck = 'valid' | 'forged' | 'expired';

export function signLink(link: ReviewLink, secret: string): string {
  return createHmac('sha256', secret)
    .update(`review\n${link.approvalId}\n${link.approverId}\n${link.expires}`)
    .digest('base64url');
}

export function reviewUrl(baseUrl: string, link: ReviewLink, secret: string): string {
  const url = new URL(
    `approvals/${encodeURIComponent(link.approvalId)}/review`,
    baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`,
  );
  url.searchParams.set('approver', link.approverId);
  url.searchParams.set('expires', String(link.expires));
  url.searchParams.set('sig', signLink(link, secret));
  return url.toString();
}

/** Forgery is checked before expiry, so an altered expiry reads as forged, never as merely expired. */
export function checkLink(link: ReviewLink, signature: string, secret: string, now: Date): LinkCheck {
  const expected = Buffer.from(signLink(link, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
  return now.getTime() >= link.expires * 1000 ? 'expired' : 'valid';
}
