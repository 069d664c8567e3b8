// The EMF adapter (functions/shared/metrics.ts) on Powertools Metrics: what it writes to stdout. A metric
// with a dimension is a line of its own, so its dimension never reaches another metric; the others wait
// for the end of the invocation and go out together; a timestamp of its own is kept.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Whatever the test setup says about metrics elsewhere, this file is about writing them.
process.env.POWERTOOLS_METRICS_DISABLED = 'false';

let written: string[] = [];

beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const lines = () =>
  written
    .join('')
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l));

describe('EMF metrics', async () => {
  const { metrics, publishMetrics } = await import('../../functions/shared/metrics.js');

  it('writes a dimensioned metric at once, on its own line, with service and its dimension only', () => {
    metrics.count('AgentErrors');
    metrics.count('Recommendations', { dimension: 'kept', n: 3 });
    metrics.duration('StepDuration', 1500, 'take_snapshot');
    const [kept, step] = lines();
    expect(kept._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Arbiter',
        Dimensions: [['service', 'outcome']],
        Metrics: [{ Name: 'Recommendations', Unit: 'Count' }],
      },
    ]);
    expect(kept).toMatchObject({ service: 'arbiter', outcome: 'kept', Recommendations: 3 });
    expect(step).toMatchObject({ action: 'take_snapshot', StepDuration: 1500 });
    expect(step).not.toHaveProperty('outcome');
    expect(lines()).toHaveLength(2);
    publishMetrics();
    expect(lines()[2]).toMatchObject({ AgentErrors: 1 });
    expect(lines()[2]).not.toHaveProperty('outcome');
  });

  it('writes the others once, when the invocation ends, in seconds where the catalogue says so', () => {
    metrics.count('AgentErrors');
    metrics.count('AgentRetries');
    metrics.duration('ApprovalDecisionTime', 90_000);
    expect(lines()).toHaveLength(0);
    publishMetrics();
    const [line] = lines();
    expect(line._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(line).toMatchObject({ AgentErrors: 1, AgentRetries: 1, ApprovalDecisionTime: 90 });
    publishMetrics();
    expect(lines()).toHaveLength(1);
  });

  it('keeps the time a stop happened, and writes nothing for a zero count', () => {
    const at = new Date(Date.now() - 60_000);
    metrics.count('ExecutionsStopped', { at });
    metrics.count('Conflicts', { dimension: 'timing', n: 0 });
    const [stopped] = lines();
    expect(stopped._aws.Timestamp).toBe(at.getTime());
    expect(stopped.ExecutionsStopped).toBe(1);
    expect(lines()).toHaveLength(1);
  });
});
