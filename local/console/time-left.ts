// How long an approval stays open, in words an operator reads at a glance ("47 hours left").
// Rounded down: the page never promises more time than there is.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Minutes under an hour, hours under three days (a 48-hour window reads "47 hours left"), days beyond. */
export function timeLeftInWords(expiresAt: string, now: Date): string {
  const left = Date.parse(expiresAt) - now.getTime();
  if (!(left > 0)) return 'expired';
  if (left < MINUTE) return 'less than a minute left';
  if (left < HOUR) return `${plural(Math.floor(left / MINUTE), 'minute')} left`;
  if (left < 3 * DAY) return `${plural(Math.floor(left / HOUR), 'hour')} left`;
  return `${plural(Math.floor(left / DAY), 'day')} left`;
}
