// Every CloudWatch alarm of the stack. Each publishes to the ops topic when it goes to ALARM and when
// it is back to OK. Periods are 5 minutes; no data counts as fine (most of these metrics only exist
// when something happened).
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { arbiterMetric, PERIOD } from './arbiter-metrics.js';
import { API_TIMEOUT_SECONDS, type FunctionName } from './function-defaults.js';
import type { OpsTopic } from './ops-topic.js';

/**
 * Task functions whose errors are also the workflow's signals: Step Functions retries or catches
 * them by name, so a few are normal. Their error alarms want a sustained stream, not one.
 */
export const SIGNALLING_FUNCTIONS: Partial<Record<FunctionName, string>> = {
  'dispatch-step': 'StepFailed and StepTransientError: an agent failed or refused a step (retried, or rolled back)',
  'resource-locks': 'ResourceBusy: another plan holds a resource (the plan waits for it)',
};

export const THRESHOLDS = {
  /** Executions failed, timed out, aborted (not by Arbiter), rollback_failed, approvals expired, throttles. */
  anyEvent: 1,
  /** Errors of a function whose errors are bugs (every function not in SIGNALLING_FUNCTIONS). */
  functionErrors: 1,
  /** Errors per period of a signalling function, in each of `sustainedPeriods` periods in a row. */
  signallingFunctionErrors: 5,
  sustainedPeriods: 3,
  /** Share of API requests answered 5xx in a period. */
  api5xxRate: 0.05,
  /** API p99 latency, ms, in each of `sustainedPeriods` periods in a row: a third of the integration timeout. */
  apiP99LatencyMs: Math.round((API_TIMEOUT_SECONDS * 1000) / 3),
  /** Messages waiting in a dead-letter queue. */
  deadLetters: 1,
} as const;

export interface ArbiterAlarmsProps {
  ops: OpsTopic;
  stateMachine: StateMachine;
  functions: Record<FunctionName, IFunction>;
  /** Every dead-letter queue of the stack, by what it keeps. */
  deadLetterQueues: Record<string, IQueue>;
  apiStage: Stage;
}

interface AlarmSpec {
  metric: IMetric;
  threshold: number;
  /** What it means and what to do: the notification carries it. */
  description: string;
  /** Consecutive breaching periods before ALARM (default 1). */
  periods?: number;
}

export class ArbiterAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly ops: OpsTopic;

  constructor(scope: Construct, id: string, props: ArbiterAlarmsProps) {
    super(scope, id);
    this.ops = props.ops;
    this.onWorkflow(props.stateMachine);
    for (const [name, fn] of Object.entries(props.functions)) this.onFunction(name as FunctionName, fn);
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`${name}-dead-letters`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, period: PERIOD }),
        threshold: THRESHOLDS.deadLetters,
        description: `Messages wait in the ${name} dead-letter queue: events that could not be handled.`,
      });
    }
    this.onApi(props.apiStage);
  }

  private onWorkflow(stateMachine: StateMachine): void {
    const sum = { statistic: Stats.SUM, period: PERIOD };
    this.add('executions-failed', {
      metric: stateMachine.metricFailed(sum),
      threshold: THRESHOLDS.anyEvent,
      description:
        'A recommendation workflow ended FAILED: rolled back, rollback failed, a plan that could not run, or an ' +
        'approval that could not be requested. Read the recommendation history and the execution in Step Functions.',
    });
    this.add('executions-timed-out', {
      metric: stateMachine.metricTimedOut(sum),
      threshold: THRESHOLDS.anyEvent,
      description: 'A recommendation workflow timed out. Its locks were released by the execution-ended cleanup.',
    });
    this.add('executions-aborted', {
      // Arbiter stops executions itself (superseded, cancelled): only the other aborts count.
      metric: new MathExpression({
        expression: 'aborted - FILL(stopped, 0)',
        usingMetrics: {
          aborted: stateMachine.metricAborted(sum),
          stopped: arbiterMetric('ExecutionsStopped'),
        },
        period: PERIOD,
        label: 'Executions aborted, not by Arbiter',
      }),
      threshold: THRESHOLDS.anyEvent,
      description:
        'A recommendation workflow was stopped by someone other than Arbiter (console, CLI). The execution-ended ' +
        'cleanup released its locks; the reconciler restarts workflows of recommendations still active.',
    });
    this.add('rollback-failed', {
      metric: arbiterMetric('Executions', 'rollback_failed'),
      threshold: THRESHOLDS.anyEvent,
      description:
        'A plan failed and at least one rollback step failed too: resources may be half changed. Read the plan ' +
        '(GET /coordination/plans/{id}) and repair by hand with the agent owner.',
    });
    this.add('approvals-expired', {
      metric: arbiterMetric('Approvals', 'expired'),
      threshold: THRESHOLDS.anyEvent,
      description:
        'An approval expired with no decision: its recommendation will not run. Check that the approvers get the ' +
        "emails (subscriptions confirmed) and the customer's approval windows.",
    });
  }

  private onFunction(name: FunctionName, fn: IFunction): void {
    const signals = SIGNALLING_FUNCTIONS[name];
    this.add(`${name}-errors`, {
      metric: fn.metricErrors({ statistic: Stats.SUM, period: PERIOD }),
      threshold: signals ? THRESHOLDS.signallingFunctionErrors : THRESHOLDS.functionErrors,
      periods: signals ? THRESHOLDS.sustainedPeriods : 1,
      description: signals
        ? `The ${name} Lambda keeps failing: beyond its expected signals (${signals}). Read its log group.`
        : `The ${name} Lambda failed (an uncaught error, a timeout or a crash). Read its log group.`,
    });
    this.add(`${name}-throttles`, {
      metric: fn.metricThrottles({ statistic: Stats.SUM, period: PERIOD }),
      threshold: THRESHOLDS.anyEvent,
      description: `The ${name} Lambda was throttled: the account's concurrency is exhausted.`,
    });
  }

  private onApi(stage: Stage): void {
    this.add('api-5xx-rate', {
      // 5XXError is 1 for each request answered 5xx, 0 otherwise: its average is the rate.
      metric: stage.metricServerError({ statistic: Stats.AVERAGE, period: PERIOD }),
      threshold: THRESHOLDS.api5xxRate,
      description:
        `${THRESHOLDS.api5xxRate * 100} % or more of API requests were answered 5xx. Read the API access logs and ` +
        "the handlers' log groups; " +
        '503 answers mean DynamoDB or Step Functions throttled or were unavailable.',
    });
    this.add('api-p99-latency', {
      metric: stage.metricLatency({ statistic: Stats.p(99), period: PERIOD }),
      threshold: THRESHOLDS.apiP99LatencyMs,
      periods: THRESHOLDS.sustainedPeriods,
      description:
        `The slowest 1 % of API requests took over ${THRESHOLDS.apiP99LatencyMs} ms for 15 minutes. ` +
        'Look at the X-Ray traces of the slow requests.',
    });
  }

  private add(name: string, spec: AlarmSpec): void {
    const periods = spec.periods ?? 1;
    const alarm = new Alarm(this, name, {
      alarmName: `${this.ops.alarmNamePrefix}${name}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.ops.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
