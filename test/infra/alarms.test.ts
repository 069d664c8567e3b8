// Every alarm: what it watches (namespace, metric, dimensions, statistic), when it fires (threshold,
// periods) and whom it tells (the ops topic, on ALARM and on OK). Arbiter's own metrics are checked
// against what Powertools Metrics really writes with the names of lib/metric-names.ts.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { SIGNALLING_FUNCTIONS, THRESHOLDS } from '../../lib/alarms.js';
import { FUNCTION_NAMES, type FunctionName } from '../../lib/function-defaults.js';
import { METRIC_NAMESPACE, METRIC_SERVICE } from '../../lib/metric-names.js';
import { type Json, logicalId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const opsTopic = { Ref: logicalId(stack.ops.topic) };
const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map((a: Json) => a.Properties);
const byName = new Map<string, Json>(alarms.map((a) => [a.AlarmName.replace(/^Arbiter-/, ''), a]));
const alarm = (name: string) => {
  const found = byName.get(name);
  if (!found) throw new Error(`no alarm named Arbiter-${name}`);
  return found;
};
const dimensions = (list: { Name: string; Value: Json }[]) => Object.fromEntries(list.map((d) => [d.Name, d.Value]));
const stateMachine = { StateMachineArn: { Ref: logicalId(stack.workflow.stateMachine) } };

/** What Powertools Metrics writes for one metric, as an alarm would have to match it. */
function emitted(name: string, dimension?: [string, string]) {
  const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: METRIC_SERVICE });
  if (dimension) metrics.addDimension(...dimension);
  metrics.addMetric(name, MetricUnit.Count, 1);
  const emf = metrics.serializeMetrics();
  const [directive] = emf._aws.CloudWatchMetrics;
  const values = emf as unknown as Record<string, string>;
  return {
    Namespace: directive.Namespace,
    MetricName: directive.Metrics[0].Name,
    Dimensions: Object.fromEntries(directive.Dimensions[0].map((d: string) => [d, values[d]])),
  };
}

function expectOneEvent(a: Json) {
  expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
  expect(a.Threshold).toBe(1);
  expect(a.EvaluationPeriods).toBe(1);
  expect(a.Period).toBe(300);
  expect(a.Statistic).toBe('Sum');
}

describe('alarms', () => {
  it('all tell the ops topic, when they fire and when they clear, and read no data as fine', () => {
    expect(alarms.length).toBe(byName.size);
    for (const a of alarms) {
      expect(a.AlarmActions, a.AlarmName).toEqual([opsTopic]);
      expect(a.OKActions, a.AlarmName).toEqual([opsTopic]);
      expect(a.TreatMissingData, a.AlarmName).toBe('notBreaching');
      expect(a.AlarmDescription.length, a.AlarmName).toBeGreaterThan(40);
      expect(a.ActionsEnabled ?? true, a.AlarmName).toBe(true);
    }
  });

  it('are exactly: 3 on executions, rollback_failed, approvals expired, 2 per function, 1 per queue, 2 on the API', () => {
    const expected = [
      'executions-failed',
      'executions-timed-out',
      'executions-aborted',
      'rollback-failed',
      'approvals-expired',
      ...FUNCTION_NAMES.flatMap((name) => [`${name}-errors`, `${name}-throttles`]),
      'execution-ended-dead-letters',
      'api-5xx-rate',
      'api-p99-latency',
    ];
    expect([...byName.keys()].sort()).toEqual(expected.sort());
  });

  it('fire on any failed or timed-out execution of the state machine', () => {
    for (const [name, metric] of [
      ['executions-failed', 'ExecutionsFailed'],
      ['executions-timed-out', 'ExecutionsTimedOut'],
    ]) {
      const a = alarm(name);
      expect(a).toMatchObject({ Namespace: 'AWS/States', MetricName: metric });
      expect(dimensions(a.Dimensions)).toEqual(stateMachine);
      expectOneEvent(a);
    }
  });

  it('fire on an aborted execution that Arbiter did not stop itself, both counted in the same 5 minutes', () => {
    const a = alarm('executions-aborted');
    expect(a).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
    });
    const byId = Object.fromEntries(a.Metrics.map((m: Json) => [m.Id, m]));
    const [expression] = a.Metrics.filter((m: Json) => m.ReturnData !== false);
    expect(expression.Expression).toBe('aborted - FILL(stopped, 0)');
    expect(byId.aborted.MetricStat).toMatchObject({ Period: 300, Stat: 'Sum' });
    expect(byId.aborted.MetricStat.Metric).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionsAborted' });
    expect(dimensions(byId.aborted.MetricStat.Metric.Dimensions)).toEqual(stateMachine);
    expect(byId.stopped.MetricStat).toMatchObject({ Period: 300, Stat: 'Sum' });
    const stopped = byId.stopped.MetricStat.Metric;
    expect({ ...stopped, Dimensions: dimensions(stopped.Dimensions) }).toEqual(emitted('ExecutionsStopped'));
  });

  it('fire on any rollback_failed and any expired approval, as Powertools Metrics emits them', () => {
    for (const [name, metric, dimension] of [
      ['rollback-failed', 'Executions', ['outcome', 'rollback_failed']],
      ['approvals-expired', 'Approvals', ['outcome', 'expired']],
    ] as const) {
      const a = alarm(name);
      const watched = { Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: dimensions(a.Dimensions) };
      expect(watched).toEqual(emitted(metric, [...dimension]));
      expectOneEvent(a);
    }
  });

  it('match the service dimension the Lambdas get (POWERTOOLS_SERVICE_NAME)', () => {
    for (const fn of Object.values(resourcesOfType(template, 'AWS::Lambda::Function')) as Json[])
      expect(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe(METRIC_SERVICE);
  });

  it('fire on any error of a function, or on a sustained stream from the two whose errors are workflow signals', () => {
    expect(Object.keys(SIGNALLING_FUNCTIONS).sort()).toEqual(['dispatch-step', 'resource-locks']);
    for (const name of FUNCTION_NAMES) {
      const a = alarm(`${name}-errors`);
      expect(a).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300 });
      expect(dimensions(a.Dimensions)).toEqual({ FunctionName: { Ref: logicalId(stack.functions[name]) } });
      const signals = Object.hasOwn(SIGNALLING_FUNCTIONS, name as FunctionName);
      expect(a.Threshold, name).toBe(signals ? THRESHOLDS.signallingFunctionErrors : 1);
      expect(a.EvaluationPeriods, name).toBe(signals ? 3 : 1);
      expect(a.DatapointsToAlarm, name).toBe(a.EvaluationPeriods);
    }
  });

  it('fire on any throttle of any function', () => {
    for (const name of FUNCTION_NAMES) {
      const a = alarm(`${name}-throttles`);
      expect(a).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
      expect(dimensions(a.Dimensions)).toEqual({ FunctionName: { Ref: logicalId(stack.functions[name]) } });
      expectOneEvent(a);
    }
  });

  it('fire on a message waiting in any dead-letter queue, and every queue of the stack is one', () => {
    const queues = Object.keys(resourcesOfType(template, 'AWS::SQS::Queue'));
    expect(queues).toEqual([logicalId(stack.cleanupDeadLetters)]);
    const watched = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(watched.map((a) => dimensions(a.Dimensions).QueueName)).toEqual(
      queues.map((id) => ({ 'Fn::GetAtt': [id, 'QueueName'] })),
    );
    const a = alarm('execution-ended-dead-letters');
    expect(a).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Period: 300, Threshold: 1 });
    expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
  });

  it('fire when 5 % of API requests answer 5xx, or p99 latency stays above a third of the timeout for 15 minutes', () => {
    const stage = { ApiName: expect.anything(), Stage: { Ref: logicalId(stack.api.restApi.deploymentStage) } };
    const rate = alarm('api-5xx-rate');
    expect(rate).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Statistic: 'Average' });
    expect(rate).toMatchObject({ Threshold: 0.05, EvaluationPeriods: 1, Period: 300 });
    expect(dimensions(rate.Dimensions)).toEqual(stage);
    const latency = alarm('api-p99-latency');
    expect(latency).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: 'Latency', ExtendedStatistic: 'p99' });
    expect(latency).toMatchObject({ Threshold: 9667, EvaluationPeriods: 3, DatapointsToAlarm: 3, Period: 300 });
    expect(dimensions(latency.Dimensions)).toEqual(stage);
    for (const a of [rate, latency]) expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
  });
});
