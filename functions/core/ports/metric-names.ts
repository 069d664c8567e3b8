// The metrics Arbiter's Lambdas emit (Powertools Metrics, CloudWatch EMF) and the alarms and the
// dashboard read: one list, so both sides spell them the same. It lives in the core (the metrics port
// types its calls with it); lib/metric-names.ts re-exports it for the alarms and the dashboard.
//
// Every metric is in namespace `Arbiter` and carries exactly the dimension `service` (Powertools adds
// it from POWERTOOLS_SERVICE_NAME) plus, where listed, one dimension whose values are listed too.
// Never a per-id dimension (customer, recommendation, agent): each value would be a separate metric.
// A metric with a dimension is emitted on its own (`metrics.singleMetric()`, `addDimension`), so the
// dimension does not leak onto the other metrics of the invocation. An alarm matches a metric by its
// exact dimension set: a metric emitted with another dimension added would not reach it.

export const METRIC_NAMESPACE = 'Arbiter';
/** The `service` dimension Powertools adds to every metric (POWERTOOLS_SERVICE_NAME). */
export const METRIC_SERVICE = 'arbiter';

/** CloudWatch unit names, as Powertools' MetricUnit spells them. */
export type MetricUnitName = 'Count' | 'Seconds' | 'Milliseconds';

export interface ArbiterMetricSpec {
  unit: MetricUnitName;
  /** The one dimension besides `service`, if any. */
  dimension?: string;
  /** Its values; absent for an open set (step actions are named by the plans). */
  values?: readonly string[];
  /** When to emit it. */
  meaning: string;
}

export const ARBITER_METRICS = {
  Recommendations: {
    unit: 'Count',
    dimension: 'outcome',
    values: ['received', 'kept', 'discarded', 'superseded', 'rejected', 'cancelled', 'expired'],
    meaning:
      'One per recommendation coordinated (received), then one per decision it gets (expired: its window had passed).',
  },
  Conflicts: {
    unit: 'Count',
    dimension: 'type',
    values: ['resource', 'action', 'dependency', 'timing'],
    meaning: 'One per conflict found by a coordination, by type.',
  },
  Approvals: {
    unit: 'Count',
    dimension: 'outcome',
    values: ['requested', 'approved', 'rejected', 'expired', 'cancelled'],
    meaning: 'One when an approval is requested, one when it closes. `expired`: nobody decided in time (alarmed).',
  },
  ApprovalDecisionTime: {
    unit: 'Seconds',
    meaning: 'From the approval request to its decision (approved or rejected).',
  },
  Executions: {
    unit: 'Count',
    dimension: 'outcome',
    values: ['completed', 'failed', 'rolled_back', 'rollback_failed', 'cancelled'],
    meaning: 'One per plan that ends, by outcome. `rollback_failed` is alarmed.',
  },
  ExecutionsStopped: {
    unit: 'Count',
    meaning:
      'One per execution Arbiter stopped itself (StopExecution on a running execution: superseded, cancelled, ' +
      "a dependency's failure), timestamped when it stopped it so it lands in the same period as " +
      "Step Functions' ExecutionsAborted: the aborted alarm subtracts these.",
  },
  StepDuration: {
    unit: 'Milliseconds',
    dimension: 'action',
    meaning: 'One per step that ends (done or failed), from dispatch to result, by action.',
  },
  AgentErrors: { unit: 'Count', meaning: 'One per failed agent call or step failure an agent reports.' },
  AgentRetries: { unit: 'Count', meaning: 'One per retried agent call.' },
  WaitTime: {
    unit: 'Seconds',
    dimension: 'waiting_for',
    values: ['dependencies', 'locks'],
    meaning:
      'One per plan that gets its dependencies (if it has any) or its resource locks: how long it waited (0: not at all).',
  },
  ReconcilerRepairs: { unit: 'Count', meaning: 'One per workflow the reconciler starts again.' },
} as const satisfies Record<string, ArbiterMetricSpec>;

export type ArbiterMetricName = keyof typeof ARBITER_METRICS;

/** The values a metric's dimension takes: the listed ones, or any string for an open set. */
export type ArbiterMetricValue<N extends ArbiterMetricName> = (typeof ARBITER_METRICS)[N] extends {
  values: readonly (infer V extends string)[];
}
  ? V
  : string;
