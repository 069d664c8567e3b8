// How long is left, in words people read at a glance: "47 hours", "12 minutes", "3 days". Rounded
// down, so nobody is promised more time than there is. The approver's email and review page say
// "decide within 47 hours"; the local console can say "47 hours left" with the same words.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Minutes under an hour, hours under three days (a 48-hour window reads "47 hours"), days beyond; undefined under a minute. */
export function spanInWords(ms: number): string | undefined {
  if (ms < MINUTE) return undefined;
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), 'minute');
  if (ms < 3 * DAY) return plural(Math.floor(ms / HOUR), 'hour');
  return plural(Math.floor(ms / DAY), 'day');
}

/** "decide within 47 hours"; "decide within the minute"; once past, that the time has passed. */
export function timeLeftInWords(expiresAt: string, now: Date): string {
  const left = Date.parse(expiresAt) - now.getTime();
  if (!(left > 0)) return 'the time to decide has passed';
  const span = spanInWords(left);
  return span ? `decide within ${span}` : 'decide within the minute';
}
