// Plans that run to their end with the real workflow, handlers, DynamoDB Local and simulated
// agents: the seed's migrate_to_spot plan, and a non-critical step that fails on the way.
import { describe, expect, it } from 'vitest';
import {
  agentCalls,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  operatorAlerts,
  spotMigration,
  stepStatuses,
} from '../support/execution.js';

const stack = executionStackForFile();

const SPOT_STEPS = ['take_snapshot', 'migrate_workload', 'validate_quality'];

describe('a plan that runs to its end', () => {
  it('runs take_snapshot, migrate_workload and validate_quality in order, recording each result and duration', async () => {
    const customer = await newCustomer(stack, 0);
    const coordination = await executeNow(customer, [spotMigration('rec-spot')]);
    expect(coordination.execution_plans).toEqual([
      expect.objectContaining({ recommendation_id: 'rec-spot', status: 'pending' }),
    ]);

    const { status, lastState, view, plan } = await finished(stack, customer, 'rec-spot');
    expect({ status, lastState }).toEqual({ status: 'SUCCEEDED', lastState: 'Completed' });
    expect(agentCalls(stack, plan.id)).toEqual(SPOT_STEPS.map((action) => `execute ${action}`));
    expect(plan).toMatchObject({
      id: coordination.execution_plans[0].id,
      status: 'completed',
      started_at: expect.any(String),
      completed_at: expect.any(String),
    });
    expect(plan.total_duration_ms).toBe(Date.parse(plan.completed_at!) - Date.parse(plan.started_at!));
    expect(plan.steps.map((s) => s.action)).toEqual(SPOT_STEPS);
    expect(plan.steps.map((s) => s.result)).toEqual([
      { snapshot_id: expect.stringMatching(/^snap-/), size_gb: 100 },
      { migrated_instances: 3, status: 'completed' },
      { quality_score: 0.95, passed: true },
    ]);
    for (const [i, step] of plan.steps.entries()) {
      expect(step.status).toBe('completed');
      expect(step.duration_ms).toBe(Date.parse(step.completed_at!) - Date.parse(step.started_at!));
      // In order: each starts once the one before has completed.
      if (i > 0)
        expect(Date.parse(step.started_at!)).toBeGreaterThanOrEqual(Date.parse(plan.steps[i - 1].completed_at!));
    }

    expect(view.status).toBe('completed');
    const reasons = view.history.map((h) => h.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(
        SPOT_STEPS.map((action, i) =>
          expect.stringMatching(new RegExp(`^step ${i + 1} ${action} completed in \\d+ ms$`)),
        ),
      ),
    );
    expect(view.history.map((h) => h.status)).toEqual([
      'approved',
      'executing',
      'executing',
      'executing',
      'executing',
      'completed',
    ]);
    expect(await operatorAlerts(stack, 'rec-spot')).toEqual([]);
  });

  it('a non-critical step that fails is recorded failed and the plan goes on to complete', async () => {
    const customer = await newCustomer(stack, 0);
    const simulate = { fail_steps: ['warm_cache'] };
    const step = (action: string, critical: boolean) => ({
      action,
      critical,
      reversible: false,
      parameters: { simulate },
    });
    await executeNow(customer, [
      {
        id: 'rec-soft',
        action: 'tune',
        affected_resources: ['db-1'],
        steps: [step('warm_cache', false), step('tune_queries', true)],
      },
    ]);

    const { status, view, plan } = await finished(stack, customer, 'rec-soft');
    expect(status).toBe('SUCCEEDED');
    expect(stepStatuses(plan)).toEqual(['warm_cache: failed', 'tune_queries: completed']);
    expect(plan.steps[0].error).toContain('simulated failure of warm_cache');
    expect(plan.status).toBe('completed');
    expect(agentCalls(stack, plan.id)).toEqual(['execute warm_cache', 'execute tune_queries']);
    expect(view.status).toBe('completed');
    expect(view.history.map((h) => h.reason)).toContainEqual(
      expect.stringContaining('step 1 warm_cache failed (not critical, continuing)'),
    );
    expect(await operatorAlerts(stack, 'rec-soft')).toEqual([]);
  });

  it('retries a step whose agent is briefly unavailable (503) and completes it', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [
      {
        id: 'rec-flaky',
        action: 'purge_logs',
        affected_resources: ['bucket-1'],
        parameters: { simulate: { transient_failures: 2 } },
      },
    ]);

    const { status, plan } = await finished(stack, customer, 'rec-flaky');
    expect(status).toBe('SUCCEEDED');
    expect(stepStatuses(plan)).toEqual(['purge_logs: completed']);
    expect(stack.agents.requests.filter((r) => r.step_id === plan.steps[0].id).map((r) => r.answered)).toEqual([
      503, 503, 200,
    ]);
  });
});
