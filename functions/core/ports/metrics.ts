// What the core counts and times for operators (issue 9 §1). The names, units and dimensions are the
// catalogue's (metric-names.ts); the adapter writes them as CloudWatch EMF, tests record them in memory.
import { ARBITER_METRICS, type ArbiterMetricName, type ArbiterMetricValue } from './metric-names.js';

type Spec<N extends ArbiterMetricName> = (typeof ARBITER_METRICS)[N];

/** Metrics counted in occurrences, and those measured in time. */
export type CountMetric = { [N in ArbiterMetricName]: Spec<N>['unit'] extends 'Count' ? N : never }[ArbiterMetricName];
export type DurationMetric = Exclude<ArbiterMetricName, CountMetric>;

/** A metric with a dimension must name its value; one without has none. */
type DimensionOf<N extends ArbiterMetricName> =
  Spec<N> extends { dimension: string } ? { dimension: ArbiterMetricValue<N> } : { dimension?: never };

export type CountOptions<N extends CountMetric> = DimensionOf<N> & {
  /** How many (default 1). */
  n?: number;
  /** When it happened, if the metric must land in the period of another one (ExecutionsStopped). */
  at?: Date;
};

export interface Metrics {
  count<N extends CountMetric>(
    name: N,
    ...options: Spec<N> extends { dimension: string } ? [CountOptions<N>] : [CountOptions<N>?]
  ): void;
  /** A duration in milliseconds; the adapter converts it to the metric's unit. */
  duration<N extends DurationMetric>(
    name: N,
    ms: number,
    ...dimension: Spec<N> extends { dimension: string } ? [ArbiterMetricValue<N>] : []
  ): void;
}

/** One metric as recorded: name, value in the metric's unit, its dimension value if it has one. */
export interface MetricPoint {
  name: ArbiterMetricName;
  value: number;
  dimension?: string;
  at?: Date;
}

/** The value in the catalogue's unit. */
export function inUnit(name: DurationMetric, ms: number): number {
  return ARBITER_METRICS[name].unit === 'Seconds' ? ms / 1000 : ms;
}

/**
 * Metrics from a function that writes each point: the adapters (EMF, in-memory) differ only in `write`.
 * A zero count is not written (a coordination that found no conflict of some type says nothing about it).
 */
export function metricsWriting(write: (point: MetricPoint) => void): Metrics {
  return {
    count(name, ...[options]) {
      const n = options?.n ?? 1;
      if (n > 0) write({ name, value: n, dimension: options?.dimension, at: options?.at });
    },
    duration(name, ms, ...[dimension]) {
      write({ name, value: Math.max(0, inUnit(name, ms)), dimension });
    },
  };
}

/** Records every point, for tests and for callers that report them later. */
export function recordingMetrics(): Metrics & { points: MetricPoint[] } {
  const points: MetricPoint[] = [];
  return { points, ...metricsWriting((p) => points.push(p)) };
}
