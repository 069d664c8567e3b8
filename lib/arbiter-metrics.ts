// CloudWatch metrics of Arbiter's own (lib/metric-names.ts) as the alarms and the dashboard read
// them: namespace Arbiter, dimension `service`, and the metric's one dimension when a value is given.
import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import {
  ARBITER_METRICS,
  type ArbiterMetricName,
  type ArbiterMetricSpec,
  type ArbiterMetricValue,
  METRIC_NAMESPACE,
  METRIC_SERVICE,
} from './metric-names.js';

/** Alarms and dashboard graphs aggregate over 5 minutes. */
export const PERIOD = Duration.minutes(5);

export function arbiterMetric<N extends ArbiterMetricName>(
  name: N,
  value?: ArbiterMetricValue<N>,
  options: MetricOptions = {},
): Metric {
  const spec: ArbiterMetricSpec = ARBITER_METRICS[name];
  if (value !== undefined && !spec.dimension) throw new Error(`${name} has no dimension to set to ${value}`);
  const dimensionsMap: Record<string, string> = { service: METRIC_SERVICE };
  if (spec.dimension && value !== undefined) dimensionsMap[spec.dimension] = value;
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap,
    statistic: 'Sum',
    period: PERIOD,
    ...options,
  });
}

/** One line per listed value of the metric's dimension, labelled with the value (graphs). */
export function arbiterMetricsByValue(name: ArbiterMetricName, options: MetricOptions = {}): Metric[] {
  const spec: ArbiterMetricSpec = ARBITER_METRICS[name];
  if (!spec.values) throw new Error(`${name} has no listed values: use arbiterMetricsSearch`);
  return spec.values.map((value) =>
    arbiterMetric(name, value as ArbiterMetricValue<typeof name>, { label: value, ...options }),
  );
}

/** Every value of an open dimension (step actions), found at display time: dashboards only, never alarms. */
export function arbiterMetricsSearch(name: ArbiterMetricName, statistic: string): MathExpression {
  const spec: ArbiterMetricSpec = ARBITER_METRICS[name];
  if (!spec.dimension) throw new Error(`${name} has no dimension to search`);
  return new MathExpression({
    expression:
      `SEARCH('{${METRIC_NAMESPACE},service,${spec.dimension}} MetricName="${name}" ` +
      `service="${METRIC_SERVICE}"', '${statistic}', ${PERIOD.toSeconds()})`,
    // A dynamic label: each line is named by its dimension's value (the action).
    label: `\${PROP('Dim.${spec.dimension}')}`,
    usingMetrics: {},
    period: PERIOD,
  });
}
