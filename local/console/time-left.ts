// How long an approval stays open, in the words the approver's email uses ("47 hours left").
import { spanInWords } from '../../functions/core/messages/time-left.js';

/** "47 hours left", "less than a minute left", "expired": rounded down, as the email says it. */
export function timeLeftInWords(expiresAt: string, now: Date): string {
  const left = Date.parse(expiresAt) - now.getTime();
  if (!(left > 0)) return 'expired';
  const span = spanInWords(left);
  return span ? `${span} left` : 'less than a minute left';
}
