// The CLI's own logic: what `coordinate FILE` accepts, how tables read, and what `plans watch`
// reports between two reads of a plan.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/context.js';
import { coordinateInput } from '../../cli/coordinate-input.js';
import { table } from '../../cli/format.js';
import { changes, describeChange, watchPlan } from '../../cli/watch.js';
import type { ExecutionPlan } from '../../sdk/client.js';

describe('coordinate input', () => {
  const rec = { id: 'r-1', agent_id: 'a', agent_type: 'cost', type: 'cost', title: 't', action: 'x' };

  it('takes a whole request, {recommendations} or an array; flags set the customer and switches', () => {
    const whole = { customer_id: 'c-1', recommendations: [rec], execute_now: true };
    expect(coordinateInput(whole, {})).toEqual(whole);
    expect(coordinateInput({ recommendations: [rec] }, { customer: 'c-2', autoApprove: true })).toEqual({
      customer_id: 'c-2',
      recommendations: [rec],
      auto_approve: true,
    });
    expect(coordinateInput([rec], { customer: 'c-3', executeNow: true })).toEqual({
      customer_id: 'c-3',
      recommendations: [rec],
      execute_now: true,
    });
    expect(coordinateInput([rec], { customer: 'c-4', dryRun: true })).toEqual({
      customer_id: 'c-4',
      recommendations: [rec],
      dry_run: true,
    });
  });

  it('says what is missing instead of sending it', () => {
    expect(() => coordinateInput([rec], {})).toThrow(
      new UsageError('name the customer: --customer, or customer_id in the file'),
    );
    expect(() => coordinateInput({ customer_id: 'c' }, {})).toThrow(UsageError);
    expect(() => coordinateInput('text', { customer: 'c' })).toThrow(UsageError);
  });
});

describe('table', () => {
  it('aligns columns, shows empty cells as -, keeps each cell on one line and cuts long ones', () => {
    const text = table(
      ['id', 'status', 'title'],
      [
        ['r-1', 'approved', 'two\nlines'],
        ['rec-22', undefined, 'x'.repeat(80)],
      ],
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('id      status    title');
    expect(lines[1]).toBe('r-1     approved  two lines');
    expect(lines[2].startsWith('rec-22  -         xxx')).toBe(true);
    expect(lines[2].endsWith('…')).toBe(true);
    expect(table(['id'], [])).toBe('(none)');
  });
});

function planWith(status: string, stepStatuses: string[]): ExecutionPlan {
  return {
    id: 'p-1',
    recommendation_id: 'r-1',
    customer_id: 'c-1',
    status: status as ExecutionPlan['status'],
    current_step: 0,
    created_at: '2026-12-01T10:00:00.000Z',
    total_duration_ms: 0,
    steps: stepStatuses.map((s, index) => ({
      id: `p-1-s${index + 1}`,
      index,
      action: ['take_snapshot', 'migrate_workload'][index],
      agent_id: 'a',
      status: s as ExecutionPlan['steps'][number]['status'],
      parameters: {},
      critical: true,
      reversible: true,
      timeout_seconds: 300,
      duration_ms: s === 'completed' ? 1200 : 0,
      ...(s === 'failed' ? { error: 'boom' } : {}),
    })),
  };
}

describe('plans watch', () => {
  const at = '2026-12-01T10:00:05.000Z';

  it('tells every status the first time, then only what changed', () => {
    expect(changes(undefined, planWith('running', ['running', 'pending']), at).map(describeChange)).toEqual([
      '10:00:05  plan p-1: running',
      '10:00:05  step 1 take_snapshot: running',
      '10:00:05  step 2 migrate_workload: pending',
    ]);
    const before = planWith('running', ['completed', 'running']);
    expect(changes(before, planWith('rolled_back', ['rolled_back', 'failed']), at).map(describeChange)).toEqual([
      '10:00:05  plan p-1: rolled_back',
      '10:00:05  step 1 take_snapshot: rolled_back',
      '10:00:05  step 2 migrate_workload: failed: boom',
    ]);
  });

  it('reads until the plan ends and gives the ended plan', async () => {
    const reads = [
      planWith('pending', ['pending', 'pending']),
      planWith('running', ['completed', 'running']),
      planWith('completed', ['completed', 'completed']),
    ];
    const seen: string[] = [];
    const ended = await watchPlan(
      async () => reads.shift()!,
      (c) => seen.push(`${c.step ?? 'plan'} ${c.status}`),
      { intervalMs: 1, timeoutMs: 0 },
    );
    expect(ended.status).toBe('completed');
    expect(reads).toHaveLength(0);
    expect(seen).toEqual([
      'plan pending',
      '1 pending',
      '2 pending',
      'plan running',
      '1 completed',
      '2 running',
      'plan completed',
      '2 completed',
    ]);
  });

  it('gives up after its timeout, saying how the plan stands', async () => {
    await expect(
      watchPlan(
        async () => planWith('running', ['running']),
        () => {},
        { intervalMs: 20, timeoutMs: 30 },
      ),
    ).rejects.toThrow('plan p-1 is still running after 0.03 s');
  });
});
