// Timing helpers: warm up, then time batches of runs (so that a 10 µs run is not lost in timer
// noise) and report the median and 95th percentile time per run. Garbage is collected as it would
// be in service: no forced GC between samples. On Node 20 a forced `gc()` discards the optimized
// code of the functions it measures (a natural mark-compact keeps it; see BENCHMARKS.md), so the
// sample after it would time V8 recompiling the engine rather than the engine.

export interface Measurement {
  /** Median, 95th percentile and fastest time of one run, in milliseconds. */
  median: number;
  p95: number;
  best: number;
  runs: number;
}

export interface MeasureOptions {
  /** Time spent warming up (ms); at least `minWarmups` runs either way. */
  warmupMs?: number;
  minWarmups?: number;
  /** Rough time budget for the timed samples (ms). */
  budgetMs?: number;
  minSamples?: number;
  maxSamples?: number;
}

export function measure(run: () => unknown, options: MeasureOptions = {}): Measurement {
  const { warmupMs = 500, minWarmups = 10, budgetMs = 2000, minSamples = 5, maxSamples = 200 } = options;
  let warmups = 0;
  const warmStart = performance.now();
  while (warmups < minWarmups || performance.now() - warmStart < warmupMs) {
    run();
    warmups++;
  }
  const estimate = (performance.now() - warmStart) / warmups;
  const batch = Math.max(1, Math.floor(1 / estimate));
  const samples = Math.min(maxSamples, Math.max(minSamples, Math.floor(budgetMs / (batch * estimate))));
  const perRun: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    for (let b = 0; b < batch; b++) run();
    perRun.push((performance.now() - start) / batch);
  }
  perRun.sort((a, b) => a - b);
  return {
    median: perRun[perRun.length >> 1],
    p95: perRun[Math.min(perRun.length - 1, Math.ceil(perRun.length * 0.95) - 1)],
    best: perRun[0],
    runs: samples * batch,
  };
}

/** One timed run, for inputs too slow to repeat. */
export function timeOnce(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

export function formatTime(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** A markdown table with right-aligned numeric columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
