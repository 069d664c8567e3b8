// List pages bounded by bytes, not only by count: Lambda answers at most 6 MB, and 100 recommendations
// of 1,000 long resource ids each are far more. A page stops at about PAGE_BYTES of JSON and says
// `next` from the last item it holds; one item always fits (DynamoDB keeps items under 400 KB).
import type { Page } from '../ports/index.js';

export const PAGE_BYTES = 4_000_000;

const encoder = new TextEncoder();

/**
 * The leading items of `page`, as `shown` renders them (undefined: left out), that fit in `budget`
 * bytes of JSON, and the token to go on. A page without cursors cannot be cut and is returned whole.
 */
export function cutByBytes<T, V>(
  page: Page<T>,
  shown: (item: T) => V | undefined,
  budget = PAGE_BYTES,
): { items: V[]; next?: string } {
  const items: V[] = [];
  let bytes = 0;
  for (const [i, item] of page.items.entries()) {
    const view = shown(item);
    if (view === undefined) continue;
    bytes += encoder.encode(JSON.stringify(view)).length + 1;
    const cursor = page.cursors?.[i - 1];
    if (items.length > 0 && bytes > budget && cursor !== undefined) return { items, next: cursor };
    items.push(view);
  }
  return { items, next: page.next };
}
