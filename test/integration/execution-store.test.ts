// The execution's bookkeeping on DynamoDB Local, where the workflow retries tasks: the execution
// request reaches the waiting task whatever the order and even across a retried task, and
// "Record outcome" ends the plan once while the operators' alert goes out at least once.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { StateConflict } from '../../functions/core/model/errors.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import type { Notification } from '../../functions/core/ports/notifier.js';
import { awaitExecution } from '../../functions/core/use-cases/await-execution.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { recordOutcome } from '../../functions/core/use-cases/record-outcome.js';
import { recordStep } from '../../functions/core/use-cases/record-step.js';
import { requestExecution } from '../../functions/core/use-cases/request-execution.js';
import { rec } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

/** Fails the first `failures` publishes, as SNS may. */
class FlakyNotifier extends RecordingNotifier {
  constructor(private failures: number) {
    super();
  }

  override async publish(notification: Notification): Promise<void> {
    if (this.failures-- > 0) throw Object.assign(new Error('SNS throttled'), { name: 'ThrottledException' });
    await super.publish(notification);
  }
}

let deps: ReturnType<typeof dynamoStores> & {
  workflow: RecordingWorkflow;
  clock: { now(): Date };
  ids: { next: typeof newId };
};

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  deps = {
    ...dynamoStores(endpoint, tableName),
    workflow: new RecordingWorkflow(),
    clock: { now: () => new Date() },
    ids: { next: newId },
  };
});

/** A low-risk recommendation, approved by policy, with its plan. */
async function approvedPlan(executeNow: boolean) {
  const customer = `exec-${randomUUID().slice(0, 8)}`;
  const request = CoordinateRequest.parse({
    customer_id: customer,
    recommendations: [rec({ id: 'rec-1', affected_resources: ['i-1'] })],
    auto_approve: true,
    execute_now: executeNow,
  });
  await coordinate(request, deps);
  const [stored] = await deps.recommendations.getRecommendations(customer, ['rec-1']);
  return { ids: { customer_id: customer, recommendation_id: 'rec-1' }, planId: stored.plan_id! };
}

/** A low-risk recommendation whose plan has started. */
async function runningPlan(): Promise<{ customer_id: string; recommendation_id: string; approval_id: null }> {
  const { ids } = await approvedPlan(true);
  await recordStep({ ...ids, event: 'start' }, deps);
  return { ...ids, approval_id: null };
}

describe('asking for an execution', () => {
  const signalled = () => deps.workflow.signals.map((s) => s.token);

  it('completes the waiting task once, whether the request comes before or after the task waits', async () => {
    const late = await approvedPlan(false);
    await awaitExecution({ ...late.ids, task_token: 'token-late' }, deps);
    expect(signalled()).not.toContain('token-late');
    await requestExecution(late.ids.customer_id, late.planId, deps);
    expect(signalled().filter((t) => t === 'token-late')).toHaveLength(1);

    const early = await approvedPlan(false);
    await requestExecution(early.ids.customer_id, early.planId, deps);
    await awaitExecution({ ...early.ids, task_token: 'token-early' }, deps);
    expect(signalled().filter((t) => t === 'token-early')).toHaveLength(1);
    await expect(requestExecution(early.ids.customer_id, early.planId, deps)).rejects.toBeInstanceOf(StateConflict);
  });

  it('a retried "Wait for execution request" (a new token) is completed too when the request was sent to the old one', async () => {
    const { ids, planId } = await approvedPlan(false);
    await awaitExecution({ ...ids, task_token: 'token-first-attempt' }, deps);
    await requestExecution(ids.customer_id, planId, deps);
    // The first attempt failed after storing its token: the workflow retries the task with a new one.
    await awaitExecution({ ...ids, task_token: 'token-retry' }, deps);
    expect(signalled().filter((t) => t === 'token-retry')).toHaveLength(1);
  });
});

describe('recording how a plan ended', () => {
  it('alerts the operators once, even when the first publish fails and the task is retried', async () => {
    const ids = await runningPlan();
    const notifier = new FlakyNotifier(1);

    await expect(recordOutcome({ ...ids, outcome: 'failed' }, { ...deps, notifier })).rejects.toThrow('SNS throttled');
    expect(await recordOutcome({ ...ids, outcome: 'failed' }, { ...deps, notifier })).toEqual({
      changed: true,
      outcome: 'failed',
    });
    expect(await recordOutcome({ ...ids, outcome: 'failed' }, { ...deps, notifier })).toEqual({
      changed: false,
      outcome: 'failed',
    });

    expect(notifier.published.map((n) => n.attributes)).toEqual([
      expect.objectContaining({ kind: 'operator_alert', outcome: 'failed', recommendation_id: 'rec-1' }),
    ]);
    const [stored] = await deps.recommendations.getRecommendations(ids.customer_id, ['rec-1']);
    expect(stored.status).toBe('failed');
    expect(stored.history.filter((h) => h.status === 'failed')).toHaveLength(1);
  });

  it('a completed plan alerts nobody', async () => {
    const ids = await runningPlan();
    const notifier = new RecordingNotifier();
    expect(await recordOutcome({ ...ids, outcome: 'completed' }, { ...deps, notifier })).toEqual({
      changed: true,
      outcome: 'completed',
    });
    expect(notifier.published).toEqual([]);
  });
});
