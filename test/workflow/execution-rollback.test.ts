// Critical failures with the real workflow, handlers, DynamoDB Local and simulated agents: what
// is rolled back and in which order, how the recommendation ends, and the operators' alert.
import { describe, expect, it } from 'vitest';
import { eventually } from '../../local/arbiter-client.js';
import {
  agentCalls,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  operatorAlerts,
  recommendation,
  spotMigration,
  stepStatuses,
} from '../support/execution.js';

const stack = executionStackForFile();

async function runSpot(id: string, simulate: Record<string, unknown>) {
  const customer = await newCustomer(stack, 0);
  await executeNow(customer, [spotMigration(id, simulate)]);
  const run = await finished(stack, customer, id);
  return { ...run, calls: agentCalls(stack, run.plan.id), alerts: await operatorAlerts(stack, id) };
}

describe('a critical step that fails', () => {
  it.each([
    {
      failing: 'take_snapshot',
      outcome: 'failed',
      end: ['FAILED', 'Failed'],
      steps: ['take_snapshot: failed', 'migrate_workload: skipped', 'validate_quality: skipped'],
      calls: ['execute take_snapshot'],
    },
    {
      failing: 'migrate_workload',
      outcome: 'rolled_back',
      end: ['FAILED', 'Rolled back'],
      steps: ['take_snapshot: rolled_back', 'migrate_workload: failed', 'validate_quality: skipped'],
      calls: ['execute take_snapshot', 'execute migrate_workload', 'rollback take_snapshot'],
    },
    {
      failing: 'validate_quality',
      outcome: 'rolled_back',
      end: ['FAILED', 'Rolled back'],
      steps: ['take_snapshot: rolled_back', 'migrate_workload: rolled_back', 'validate_quality: failed'],
      calls: [
        'execute take_snapshot',
        'execute migrate_workload',
        'execute validate_quality',
        'rollback migrate_workload',
        'rollback take_snapshot',
      ],
    },
  ])(
    'at $failing: rolls back exactly the completed reversible steps, last first; the recommendation ends $outcome',
    async ({ failing, outcome, end, steps, calls }) => {
      const id = `rec-${failing.replace('_', '-')}`;
      const run = await runSpot(id, { fail_steps: [failing] });

      expect([run.status, run.lastState]).toEqual(end);
      expect(run.calls).toEqual(calls);
      expect(stepStatuses(run.plan)).toEqual(steps);
      expect(run.plan.status).toBe(outcome);
      expect(run.view.status).toBe(outcome);
      expect(run.alerts).toEqual([
        expect.objectContaining({
          subject: expect.stringContaining(id),
          attributes: expect.objectContaining({ kind: 'operator_alert', outcome, customer_id: run.view.customer_id }),
        }),
      ]);
      expect(run.alerts[0].attributes).not.toHaveProperty('approver');
    },
  );

  it('Done when: a failure at migrate_workload rolls back take_snapshot only; rolled_back with every step in its history, and the operators are told', async () => {
    const run = await runSpot('rec-done-when', { fail_steps: ['migrate_workload'] });

    expect(run.calls.filter((c) => c.startsWith('rollback'))).toEqual(['rollback take_snapshot']);
    const snapshot = run.plan.steps[0];
    expect(snapshot).toMatchObject({
      status: 'rolled_back',
      rollback_data: { snapshot_id: snapshot.result?.snapshot_id },
      rollback_result: { deleted_snapshot: snapshot.result?.snapshot_id },
    });
    expect(run.view.status).toBe('rolled_back');
    expect(run.view.history.map((h) => h.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^step 1 take_snapshot completed in \d+ ms$/),
        'step 2 migrate_workload failed (critical): StepFailed: simulated failure of migrate_workload',
        'step 1 take_snapshot rolled back',
        expect.stringMatching(
          /^plan \S+ rolled back \(take_snapshot: rolled_back, migrate_workload: failed, validate_quality: skipped\)$/,
        ),
      ]),
    );
    expect(run.view.history.at(-1)?.status).toBe('rolled_back');
    expect(run.alerts).toHaveLength(1);
    expect(run.alerts[0].message).toContain(
      '- migrate_workload: failed (StepFailed: simulated failure of migrate_workload)',
    );
  });

  it('a rollback that fails is recorded, the remaining rollbacks still run, and the outcome is rollback_failed', async () => {
    const run = await runSpot('rec-stuck', { fail_steps: ['validate_quality'], fail_rollback: ['migrate_workload'] });

    expect([run.status, run.lastState]).toEqual(['FAILED', 'Rollback failed']);
    // "Roll back step" retries StepFailed twice (MaxAttempts 2) before giving up on it.
    const rollbacks = [
      'rollback migrate_workload',
      'rollback migrate_workload',
      'rollback migrate_workload',
      'rollback take_snapshot',
    ];
    expect(run.calls).toEqual([
      'execute take_snapshot',
      'execute migrate_workload',
      'execute validate_quality',
      ...rollbacks,
    ]);
    expect(stepStatuses(run.plan)).toEqual([
      'take_snapshot: rolled_back',
      'migrate_workload: rollback_failed',
      'validate_quality: failed',
    ]);
    expect(run.plan.steps[1].error).toContain('simulated rollback failure of migrate_workload');
    expect(run.view.status).toBe('rollback_failed');
    expect(run.alerts).toEqual([
      expect.objectContaining({
        attributes: expect.objectContaining({ kind: 'operator_alert', outcome: 'rollback_failed' }),
      }),
    ]);
    expect(run.alerts[0].message).toContain('Check them by hand');
  });
});

describe('dependencies', () => {
  it('in a chain A → B → C where B fails, A completes and C is cancelled without running', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [
      { id: 'rec-a', action: 'resize_disk', affected_resources: ['vol-a'] },
      {
        id: 'rec-b',
        action: 'resize_disk',
        affected_resources: ['vol-b'],
        dependencies: ['rec-a'],
        parameters: { simulate: { fail_steps: ['resize_disk'] } },
      },
      { id: 'rec-c', action: 'resize_disk', affected_resources: ['vol-c'], dependencies: ['rec-b'] },
    ]);

    const [a, b, c] = await Promise.all(['rec-a', 'rec-b', 'rec-c'].map((id) => finished(stack, customer, id)));
    expect([a.view.status, b.view.status, c.view.status]).toEqual(['completed', 'failed', 'cancelled']);
    // C is called off the moment B's failure is recorded (issue 13 §6): its workflow is stopped
    // while it waits for B, not left to find out by itself.
    expect([a.lastState, b.lastState]).toEqual(['Completed', 'Failed']);
    // B ran only after A had completed.
    expect(Date.parse(b.plan.steps[0].started_at!)).toBeGreaterThanOrEqual(Date.parse(a.plan.completed_at!));
    expect(agentCalls(stack, c.plan.id)).toEqual([]);
    // The stopped execution's cleanup (execution-ended) skips its plan.
    const cPlan = await eventually("C's plan to be cancelled", async () => {
      const { plan } = await recommendation(customer, 'rec-c');
      return plan?.status === 'cancelled' ? plan : undefined;
    });
    expect(stepStatuses(cPlan)).toEqual(['resize_disk: skipped']);
    expect(c.view.history.at(-1)).toMatchObject({ status: 'cancelled', reason: 'dependency rec-b was failed' });
    expect(await operatorAlerts(stack, 'rec-c')).toEqual([]);
  });
});
