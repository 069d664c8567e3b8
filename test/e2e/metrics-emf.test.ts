// Issue 9 §1, done when: running the seed scenarios locally writes a CloudWatch EMF line for each metric.
// The demo (npm run demo) plays seed 001 STEP 5–7 against a local stack of its own, in its own process,
// whose handlers write EMF to stdout exactly as on Lambda; this reads those lines back and checks each one
// against the catalogue (namespace, the `service` dimension plus at most the metric's own, never an id).
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ARBITER_METRICS,
  type ArbiterMetricName,
  METRIC_NAMESPACE,
  METRIC_SERVICE,
} from '../../functions/core/ports/metric-names.js';
import { freePort } from '../../local/dynamodb.js';

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/**
 * What the seed scenarios make happen, so what they must count. Not here, because the seeds never make
 * it happen: an approval nobody answers (Approvals expired), an agent that answers 5xx (AgentRetries),
 * an execution Arbiter stops (ExecutionsStopped), a crash for the reconciler to repair (ReconcilerRepairs),
 * a recommendation that depends on another (WaitTime dependencies).
 */
const SEEDED: Partial<Record<ArbiterMetricName, string[]>> = {
  Recommendations: ['received', 'kept', 'discarded', 'rejected'],
  Conflicts: ['resource', 'action'],
  Approvals: ['requested', 'approved', 'rejected'],
  ApprovalDecisionTime: [],
  Executions: ['completed', 'rolled_back'],
  StepDuration: ['take_snapshot', 'migrate_workload', 'validate_quality'],
  AgentErrors: [],
  WaitTime: ['locks'],
};

let output = '';
let exitCode: number | null = null;

let lines: EmfLine[] = [];

beforeAll(async () => {
  // LOG_FORMAT=json: the demo prints the EMF lines as Lambda writes them; PORT: one nothing answers on, so the
  // demo starts a stack of its own instead of using one found running.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json', PORT: String(await freePort()) };
  for (const name of ['ARBITER_URL', 'ARBITER_DATA_DIR', 'POWERTOOLS_DEV', 'POWERTOOLS_METRICS_DISABLED'])
    delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/demo.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  exitCode = await new Promise((resolve) => child.on('exit', resolve));
  lines = output
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as EmfLine);
}, 180_000);

/** The lines that carry this metric, with the value of its dimension (if any). */
function linesOf(name: string) {
  return lines.flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((m) =>
      m.Metrics.some((x) => x.Name === name) ? [{ line, directive: m }] : [],
    ),
  );
}

describe('EMF metrics from the seed scenarios (npm run demo)', () => {
  it('plays the seed scenarios as expected', () => {
    expect(output).toContain('All as expected.');
    expect(exitCode).toBe(0);
  });

  for (const [name, values] of Object.entries(SEEDED) as [ArbiterMetricName, string[]][]) {
    it(`writes ${name}${values.length ? ` for ${values.join(', ')}` : ''}`, () => {
      const spec = ARBITER_METRICS[name];
      const found = linesOf(name);
      expect(found.length, `no EMF line for ${name}`).toBeGreaterThan(0);
      for (const { line, directive } of found) {
        expect(directive.Namespace).toBe(METRIC_NAMESPACE);
        expect(line.service).toBe(METRIC_SERVICE);
        const dimensions = 'dimension' in spec ? ['service', spec.dimension] : ['service'];
        expect(directive.Dimensions).toEqual([dimensions]);
        expect(directive.Metrics.find((m) => m.Name === name)?.Unit).toBe(spec.unit);
        expect(typeof line[name]).toBe('number');
        if ('values' in spec && 'dimension' in spec) expect(spec.values).toContain(line[spec.dimension]);
      }
      if ('dimension' in spec) {
        const seen = new Set(found.map(({ line }) => line[spec.dimension]));
        for (const value of values) expect(seen, `${name} ${spec.dimension}=${value}`).toContain(value);
      }
    });
  }

  it('writes no dimension but service and the listed ones: no id ever becomes a metric', () => {
    const allowed = new Set([
      'service',
      ...Object.values(ARBITER_METRICS).flatMap((s) => ('dimension' in s ? [s.dimension] : [])),
    ]);
    const used = new Set(lines.flatMap((l) => l._aws.CloudWatchMetrics.flatMap((m) => m.Dimensions.flat())));
    expect(lines.length).toBeGreaterThan(0);
    for (const d of used) expect(allowed).toContain(d);
  });
});
