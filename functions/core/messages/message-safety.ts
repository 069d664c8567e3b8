// Text that reaches an email: subjects SNS accepts, and agent-supplied text that cannot pose as
// Arbiter. Agents are not trusted to write the email: what they wrote is quoted, labelled, stripped
// of invisible characters and of clickable links, so Arbiter's own review link stays the only one.

/** SNS refuses a Subject of 100 characters or more. */
export const MAX_SUBJECT_CHARS = 99;

/** Letters that do not decompose into ASCII under NFKD, written as a reader would type them. */
const TRANSLITERATIONS: Record<string, string> = {
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'Th',
  ð: 'd',
  Ð: 'D',
  ı: 'i',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '‹': "'",
  '›': "'",
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '€': 'EUR',
  '£': 'GBP',
  '×': 'x',
};

/** Line breaks, tabs and every other control or separator character. */
const BREAKS_AND_CONTROLS = /[\p{Cc}\p{Zl}\p{Zp}\p{Zs}]+/gu;
/** Zero-width and direction-changing characters: invisible, yet they can reorder or hide what is shown. */
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cn}\p{Cs}]/gu;

/** Accents dropped (é → e), known letters spelled out (œ → oe), anything else that is not ASCII removed. */
export function toAscii(text: string): string {
  return text
    .replace(/[^\x00-\x7f]/g, (c) => TRANSLITERATIONS[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x00-\x7f]/g, '');
}

/** Cuts at a word boundary when one is near, and says it was cut. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 3);
  const space = room.lastIndexOf(' ');
  return `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}...`;
}

/**
 * A Subject SNS accepts whatever the title held: ASCII, one line, no control characters, starting with a
 * letter, digit or punctuation, under 100 characters. (The API reference once said ASCII and now says
 * UTF-8; ASCII passes both, and email subjects need no encoding then.)
 */
export function emailSubject(text: string): string {
  const oneLine = toAscii(text.replace(INVISIBLE, ''))
    .replace(BREAKS_AND_CONTROLS, ' ')
    .replace(/[\x00-\x1f\x7f]/g, '')
    .trim();
  return truncate(oneLine, MAX_SUBJECT_CHARS) || 'Arbiter';
}

/** Host names as mail clients linkify them without a scheme (`evil.example`, `user@evil.example`). */
const HOST_NAME =
  /\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z][a-z0-9-]*[a-z0-9]\b/gi;

/**
 * URLs in agent text, made unclickable the way security teams share indicators ("defanged"):
 * `http` → `hxxp`, `://` → `[:]//`, `evil.example` → `evil[.]example`, `mailto:` → `mailto[:]`. A
 * reader still sees where it pointed; no mail client turns it into a link, so nothing the agent
 * wrote can pass for Arbiter's review link.
 */
export function defang(text: string): string {
  return text
    .replace(/\b(h)tt(ps?)(?=\s*:)/gi, (_, h: string, ps: string) => `${h}xx${ps}`)
    .replace(/:\s*\/\//g, '[:]//')
    .replace(/\b(mailto|javascript|data|file|tel|sms|ftp|news|callto|skype):/gi, '$1[:]')
    .replace(HOST_NAME, (host) => host.replaceAll('.', '[.]'));
}

/** Text for a plain-text email: visible characters only, line breaks kept. */
export function visibleText(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '');
}

/** Agent text for a plain-text email: visible characters only, line breaks kept, links defanged. */
export function plainAgentText(text: string): string {
  return defang(visibleText(text));
}

/**
 * Agent-supplied fields as a block that reads as quoted text: labelled with who wrote it, every
 * line prefixed with "> ", so nothing in it can stand outside the quote (a forged "end of quote"
 * line is still a quoted line). Long text is cut: the review page shows it whole.
 */
export function quotedAgentText(
  agentId: string,
  fields: readonly (readonly [string, string])[],
  maxChars = 2000,
): string {
  const author = plainAgentText(agentId);
  const lines = fields
    .filter(([, value]) => value.trim() !== '')
    .flatMap(([label, value]) => {
      const text = plainAgentText(value).trim();
      const shown =
        text.length > maxChars ? `${text.slice(0, maxChars)}... (cut here; the review page shows all of it)` : text;
      return shown.split('\n').map((line, i) => `> ${i === 0 ? `${label}: ` : '  '}${line}`.trimEnd());
    });
  return [
    `--- Written by the agent ${author}, not by Arbiter. Links in it are disabled. ---`,
    ...lines,
    `--- End of the agent's text ---`,
  ].join('\n');
}
