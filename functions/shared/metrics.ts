// The metrics port on Powertools Metrics: CloudWatch EMF lines on stdout, namespace Arbiter, dimension
// service=arbiter. A metric with a dimension (or a timestamp of its own) is written on its own with
// singleMetric(), so its dimension never reaches the other metrics of the invocation; the others are
// buffered and flushed once, at the end of the invocation (flushMetrics, in http.ts and task.ts).
import { MetricUnit, Metrics as Powertools } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { ARBITER_METRICS, METRIC_NAMESPACE, METRIC_SERVICE } from '../core/ports/metric-names.js';
import { type MetricPoint, type Metrics, metricsWriting } from '../core/ports/metrics.js';
import { logger } from './observability.js';
import { once } from './runtime.js';

const powertools = once(() => new Powertools({ namespace: METRIC_NAMESPACE, serviceName: METRIC_SERVICE, logger }));

function write({ name, value, dimension, at }: MetricPoint): void {
  const spec = ARBITER_METRICS[name];
  const unit = MetricUnit[spec.unit];
  if (dimension === undefined && at === undefined) {
    powertools().addMetric(name, unit, value);
    return;
  }
  const single = powertools().singleMetric();
  if (dimension !== undefined && 'dimension' in spec) single.addDimension(spec.dimension, dimension);
  if (at) single.setTimestamp(at);
  single.addMetric(name, unit, value);
}

export const metrics: Metrics = metricsWriting(write);

/** Writes the buffered metrics, if any (Powertools warns about an empty flush; most invocations count nothing). */
export function publishMetrics(): void {
  const buffer = powertools();
  if (buffer.hasStoredMetrics()) buffer.publishStoredMetrics();
}

/** Middy: the invocation's buffered metrics are written when it ends, also when it fails. */
export function flushMetrics(): MiddlewareObj {
  const flush = async () => publishMetrics();
  return { after: flush, onError: flush };
}
