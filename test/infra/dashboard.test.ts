// The one dashboard: every alarm's state, every metric Arbiter emits, and the API, the state machine,
// the table and the Lambdas, each graph reading this stack's resources.
import { describe, expect, it } from 'vitest';
import { TABLE_OPERATIONS } from '../../lib/dashboard.js';
import { FUNCTION_NAMES } from '../../lib/function-defaults.js';
import { ARBITER_METRICS, type ArbiterMetricSpec, METRIC_NAMESPACE } from '../../lib/metric-names.js';
import { type Json, joined, logicalId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const dashboards = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard')) as Json[];
// The body is JSON joined with references; `joined` writes them as <Id> / <Id.Attr> inside its strings.
const body = JSON.parse(joined(dashboards[0].Properties.DashboardBody));
const widgets: Json[] = body.widgets;
const graphs = widgets.filter((w) => w.type === 'metric');
const graph = (title: string) => {
  const found = graphs.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no graph titled ${title}`);
  return found;
};
/** A graph's metrics as `namespace metric dim=value ...` (options and expressions left out). */
const linesOf = (w: Json): string[] =>
  w.properties.metrics
    .map((m: Json[]) => m.filter((part) => typeof part === 'string'))
    .filter((parts: string[]) => parts.length >= 2)
    .map(([namespace, name, ...dims]: string[]) => {
      const pairs = [];
      for (let i = 0; i < dims.length; i += 2) pairs.push(`${dims[i]}=${dims[i + 1]}`);
      return [namespace, name, ...pairs.sort()].join(' ');
    });
const expressionsOf = (w: Json): string[] =>
  w.properties.metrics
    .flatMap((m: Json[]) => m.filter((p) => typeof p === 'object' && p.expression))
    .map((p: Json) => p.expression);

describe('dashboard', () => {
  it('is one, named after the stack and published as an output', () => {
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].Properties.DashboardName).toBe('Arbiter');
    expect(template.toJSON().Outputs.DashboardName.Value).toEqual({ Ref: logicalId(stack.dashboard.dashboard) });
  });

  it('opens with the state of every alarm', () => {
    const [first] = widgets;
    expect(first.type).toBe('alarm');
    const alarmIds = Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    expect([...first.properties.alarms].sort()).toEqual(alarmIds.map((id) => `<${id}.Arn>`).sort());
  });

  it('graphs every metric Arbiter emits, each listed dimension value on its own line', () => {
    const arbiterLines = graphs.flatMap(linesOf).filter((line) => line.startsWith(`${METRIC_NAMESPACE} `));
    const searches = graphs.flatMap(expressionsOf).join('\n');
    for (const [name, spec] of Object.entries(ARBITER_METRICS) as [string, ArbiterMetricSpec][]) {
      if (!spec.dimension) {
        expect(arbiterLines, name).toContain(`Arbiter ${name} service=arbiter`);
      } else if (spec.values) {
        for (const value of spec.values)
          expect(arbiterLines, `${name} ${value}`).toContain(
            `Arbiter ${name} ${[`${spec.dimension}=${value}`, 'service=arbiter'].sort().join(' ')}`,
          );
      } else {
        expect(searches).toContain(`{Arbiter,service,${spec.dimension}} MetricName="${name}" service="arbiter"`);
      }
    }
  });

  it('graphs the API stage: requests, errors, latency', () => {
    const stage = `Stage=<${logicalId(stack.api.restApi.deploymentStage)}>`;
    const lines = [...linesOf(graph('Requests')), ...linesOf(graph('Latency (ms)'))];
    for (const metric of ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency'])
      expect(
        lines.some((l) => l.startsWith(`AWS/ApiGateway ${metric} `) && l.includes(stage)),
        metric,
      ).toBe(true);
  });

  it('graphs the state machine: executions by status, time, throttling', () => {
    const machine = `StateMachineArn=<${logicalId(stack.workflow.stateMachine)}>`;
    const lines = ['Executions', 'Execution time (ms)', 'Throttled'].flatMap((t) => linesOf(graph(t)));
    for (const metric of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsAborted',
      'ExecutionsTimedOut',
      'ExecutionTime',
      'ExecutionThrottled',
    ])
      expect(lines).toContain(`AWS/States ${metric} ${machine}`);
  });

  it('graphs the table: capacity, and throttles, errors and latency per operation it uses', () => {
    const table = `TableName=<${logicalId(stack.table.table)}>`;
    const capacity = linesOf(graph('Consumed capacity units'));
    expect(capacity).toEqual([
      `AWS/DynamoDB ConsumedReadCapacityUnits ${table}`,
      `AWS/DynamoDB ConsumedWriteCapacityUnits ${table}`,
    ]);
    for (const [title, metric] of [
      ['Throttled requests', 'ThrottledRequests'],
      ['System errors', 'SystemErrors'],
      ['Request latency (average ms)', 'SuccessfulRequestLatency'],
    ])
      expect(linesOf(graph(title))).toEqual(
        TABLE_OPERATIONS.map((op) => `AWS/DynamoDB ${metric} Operation=${op} ${table}`),
      );
  });

  it('graphs errors and throttles of every function', () => {
    for (const [title, metric] of [
      ['Errors', 'Errors'],
      ['Throttles', 'Throttles'],
    ])
      expect(linesOf(graph(title))).toEqual(
        FUNCTION_NAMES.map((name) => `AWS/Lambda ${metric} FunctionName=<${logicalId(stack.functions[name])}>`),
      );
  });

  it("lays each section's graphs out in one row under its heading", () => {
    const headings = widgets.filter((w) => w.type === 'text');
    expect(headings.map((h) => h.properties.markdown)).toEqual([
      '## Coordination and approvals',
      '## Execution',
      '## API',
      '## State machine',
      '## Table',
      '## Lambdas',
    ]);
    for (const heading of headings) {
      const next = widgets.indexOf(heading) + 1;
      const end = widgets.findIndex((w, i) => i >= next && w.type === 'text');
      const row = widgets.slice(next, end === -1 ? undefined : end);
      expect(row.length, heading.properties.markdown).toBeGreaterThan(1);
      for (const w of row) expect(w.y, w.properties.title).toBe(heading.y + 1);
    }
  });
});
