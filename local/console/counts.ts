// Counts for the console's home: recommendations by status and executions by outcome, each in
// total and per customer. Every name is a row even at zero, so an operator reads "none" rather
// than guessing whether a status was left out.
import { escapeHtml } from '../html.js';
import { section, table } from './layout.js';

/** Counts by name (a status, an outcome) for each customer. */
export type CountsByCustomer = ReadonlyMap<string, Readonly<Record<string, number>>>;

export interface CountsTable {
  id: string;
  heading: string;
  /** What a row is: "Status", "Outcome". */
  rowLabel: string;
  names: readonly string[];
}

/** How many `items` hold each name, per customer; every customer in `customerIds` is a column, even with none. */
export function countByCustomer<T extends { customer_id: string; status: string }>(
  customerIds: readonly string[],
  items: readonly T[],
): CountsByCustomer {
  const counts = new Map<string, Record<string, number>>(customerIds.map((id) => [id, {}]));
  for (const { customer_id: customer, status } of items) {
    const of = counts.get(customer) ?? {};
    of[status] = (of[status] ?? 0) + 1;
    counts.set(customer, of);
  }
  return counts;
}

/** Zeros are grey, so the statuses that hold something stand out. */
function count(n: number, total = false): string {
  if (n === 0) return '<span class="empty">0</span>';
  return total ? `<strong>${n}</strong>` : String(n);
}

/** A table of `names` (rows) by Total and customer (columns). */
export function countsSection({ id, heading, rowLabel, names }: CountsTable, counts: CountsByCustomer): string {
  const customers = [...counts.keys()].sort();
  const rows = names.map((name) => {
    const perCustomer = customers.map((c) => counts.get(c)?.[name] ?? 0);
    const total = perCustomer.reduce((sum, n) => sum + n, 0);
    return [escapeHtml(name), count(total, true), ...perCustomer.map((n) => count(n))];
  });
  const body = table([rowLabel, 'Total', ...customers], rows, '');
  return section(id, heading, body);
}
