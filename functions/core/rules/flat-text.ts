// Texts that a result holds many of, written as flat strings.

/**
 * One flat string. Concatenation (and a template literal) builds a tree of cons strings, one node
 * per part, which every text held by a result would keep: at 100,000 recommendations, megabytes.
 */
export function flat(...parts: string[]): string {
  return parts.join('');
}
