// Readable output: aligned tables and `label  value` blocks. Cells are one line each, so a title
// with a newline cannot break a table; long cells are cut.

const MAX_CELL = 60;

export type Cell = string | number | boolean | null | undefined;

function cell(value: Cell): string {
  if (value === undefined || value === null || value === '') return '-';
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** Rows under a header, each column as wide as its widest cell. */
export function table(headers: string[], rows: Cell[][]): string {
  if (rows.length === 0) return '(none)';
  const cells = [headers, ...rows.map((row) => row.map(cell))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `label  value` lines, the labels aligned; empty values are left out. */
export function fields(entries: [string, Cell][]): string {
  const shown = entries.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${String(v)}`).join('\n');
}

/** "1.2 s", "340 ms". */
export function duration(ms: number | undefined): string | undefined {
  if (ms === undefined || ms === 0) return undefined;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function section(title: string, body: string): string {
  return `\n${title}\n${body}`;
}
