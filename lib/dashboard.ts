// The one CloudWatch dashboard: the alarms' states, Arbiter's own metrics (lib/metric-names.ts), then
// the API, the state machine, the table and the Lambdas, each in its own row.
import { Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { arbiterMetric, arbiterMetricsByValue, arbiterMetricsSearch, PERIOD } from './arbiter-metrics.js';
import type { FunctionName } from './function-defaults.js';

/** The table operations Arbiter's repository uses (functions/adapters). */
export const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.SCAN,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

export interface ArbiterDashboardProps {
  alarms: Alarm[];
  apiStage: Stage;
  stateMachine: StateMachine;
  table: Table;
  functions: Record<FunctionName, IFunction>;
}

const WIDTH = 24;
const HEIGHT = 6;

function graph(title: string, left: IMetric[], width = 8): GraphWidget {
  return new GraphWidget({ title, left, width, height: HEIGHT, period: PERIOD });
}

const heading = (markdown: string) => new TextWidget({ markdown, width: WIDTH, height: 1 });

export class ArbiterDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ArbiterDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: Stack.of(this).stackName });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: WIDTH, height: 4 }),
    );
    for (const row of [
      this.coordination(),
      this.execution(),
      this.api(props.apiStage),
      this.workflow(props.stateMachine),
      this.table(props.table),
      this.lambdas(props.functions),
    ]) {
      this.dashboard.addWidgets(...row);
    }
  }

  private coordination(): IWidget[] {
    const decision = (statistic: string) =>
      arbiterMetric('ApprovalDecisionTime', undefined, { statistic, label: statistic });
    return [
      heading('## Coordination and approvals'),
      graph('Recommendations by outcome', arbiterMetricsByValue('Recommendations'), 6),
      graph('Conflicts by type', arbiterMetricsByValue('Conflicts'), 6),
      graph('Approvals by outcome', arbiterMetricsByValue('Approvals'), 6),
      graph('Time to decision (s)', [Stats.p(50), Stats.p(90), Stats.MAXIMUM].map(decision), 6),
    ];
  }

  private execution(): IWidget[] {
    const wait = (statistic: string) =>
      arbiterMetricsByValue('WaitTime', { statistic }).map((m) => m.with({ label: `${m.label} (${statistic})` }));
    return [
      heading('## Execution'),
      graph(
        'Executions by outcome',
        [
          ...arbiterMetricsByValue('Executions'),
          arbiterMetric('ExecutionsStopped', undefined, { label: 'stopped by Arbiter' }),
        ],
        6,
      ),
      graph('Step duration by action (p90, ms)', [arbiterMetricsSearch('StepDuration', 'p90')], 6),
      graph(
        'Agent errors and retries',
        [
          arbiterMetric('AgentErrors', undefined, { label: 'errors' }),
          arbiterMetric('AgentRetries', undefined, { label: 'retries' }),
        ],
        4,
      ),
      graph('Waits (s)', [...wait(Stats.AVERAGE), ...wait(Stats.MAXIMUM)], 4),
      graph('Reconciler repairs', [arbiterMetric('ReconcilerRepairs', undefined, { label: 'repairs' })], 4),
    ];
  }

  private api(stage: Stage): IWidget[] {
    const sum = { statistic: Stats.SUM, period: PERIOD };
    const latency = (statistic: string) => stage.metricLatency({ statistic, period: PERIOD, label: statistic });
    return [
      heading('## API'),
      graph('Requests', [
        stage.metricCount({ ...sum, label: 'requests' }),
        stage.metricClientError({ ...sum, label: '4xx' }),
        stage.metricServerError({ ...sum, label: '5xx' }),
      ]),
      graph('Latency (ms)', [
        latency(Stats.p(50)),
        latency(Stats.p(99)),
        stage.metricIntegrationLatency({ statistic: Stats.p(99), period: PERIOD, label: 'integration p99' }),
      ]),
      graph('5xx rate', [stage.metricServerError({ statistic: Stats.AVERAGE, period: PERIOD, label: '5xx rate' })]),
    ];
  }

  private workflow(stateMachine: StateMachine): IWidget[] {
    const sum = (label: string) => ({ statistic: Stats.SUM, period: PERIOD, label });
    return [
      heading('## State machine'),
      graph('Executions', [
        stateMachine.metricStarted(sum('started')),
        stateMachine.metricSucceeded(sum('succeeded')),
        stateMachine.metricFailed(sum('failed')),
        stateMachine.metricAborted(sum('aborted')),
        stateMachine.metricTimedOut(sum('timed out')),
      ]),
      graph('Execution time (ms)', [
        stateMachine.metricTime({ statistic: Stats.p(50), period: PERIOD, label: 'p50' }),
        stateMachine.metricTime({ statistic: Stats.p(99), period: PERIOD, label: 'p99' }),
      ]),
      graph('Throttled', [stateMachine.metricThrottled(sum('throttled'))]),
    ];
  }

  private table(table: Table): IWidget[] {
    const sum = (label: string) => ({ statistic: Stats.SUM, period: PERIOD, label });
    // One line per operation: DynamoDB writes these only for operations that had some, and a sum
    // across operations would be empty whenever one of them had none.
    const perOperation = (metricName: string, statistic: string) =>
      TABLE_OPERATIONS.map((operation) =>
        table.metric(metricName, {
          dimensionsMap: { TableName: table.tableName, Operation: operation },
          statistic,
          period: PERIOD,
          label: operation,
        }),
      );
    return [
      heading('## Table'),
      graph(
        'Consumed capacity units',
        [table.metricConsumedReadCapacityUnits(sum('read')), table.metricConsumedWriteCapacityUnits(sum('write'))],
        6,
      ),
      graph('Throttled requests', perOperation('ThrottledRequests', Stats.SUM), 6),
      graph('System errors', perOperation('SystemErrors', Stats.SUM), 6),
      graph('Request latency (average ms)', perOperation('SuccessfulRequestLatency', Stats.AVERAGE), 6),
    ];
  }

  private lambdas(functions: Record<FunctionName, IFunction>): IWidget[] {
    const each = (metric: (fn: IFunction, name: string) => IMetric) =>
      Object.entries(functions).map(([name, fn]) => metric(fn, name));
    const sum = (label: string) => ({ statistic: Stats.SUM, period: PERIOD, label });
    return [
      heading('## Lambdas'),
      graph(
        'Errors',
        each((fn, name) => fn.metricErrors(sum(name))),
        12,
      ),
      graph(
        'Throttles',
        each((fn, name) => fn.metricThrottles(sum(name))),
        12,
      ),
    ];
  }
}
