// "Record outcome" on DynamoDB Local: the plan and the recommendation end once, and the operators'
// alert goes out at least once even when publishing fails and the workflow retries the task.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { coordinate } from '../../functions/core/coordinate.js';
import type { Notification } from '../../functions/core/notifications.js';
import { recordOutcome } from '../../functions/core/outcomes.js';
import { CoordinateRequest } from '../../functions/core/schemas.js';
import { recordStep } from '../../functions/core/step-runner.js';
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

let deps: ReturnType<typeof dynamoStores> & { workflow: RecordingWorkflow; clock: { now(): Date }; ids: { next: typeof newId } };

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  deps = { ...dynamoStores(endpoint, tableName), workflow: new RecordingWorkflow(), clock: { now: () => new Date() }, ids: { next: newId } };
});

/** A low-risk recommendation whose plan has started. */
async function runningPlan(): Promise<{ customer_id: string; recommendation_id: string; approval_id: null }> {
  const customer = `outcome-${randomUUID().slice(0, 8)}`;
  const request = CoordinateRequest.parse({ customer_id: customer, recommendations: [rec({ id: 'rec-1', affected_resources: ['i-1'] })], auto_approve: true, execute_now: true });
  await coordinate(request, deps);
  await recordStep({ customer_id: customer, recommendation_id: 'rec-1', event: 'start' }, deps);
  return { customer_id: customer, recommendation_id: 'rec-1', approval_id: null };
}

describe('recording how a plan ended', () => {
  it('alerts the operators once, even when the first publish fails and the task is retried', async () => {
    const ids = await runningPlan();
    const notifier = new FlakyNotifier(1);

    await expect(recordOutcome({ ...ids, outcome: 'failed' }, { ...deps, notifier })).rejects.toThrow('SNS throttled');
    expect(await recordOutcome({ ...ids, outcome: 'failed' }, { ...deps, notifier })).toEqual({ changed: true, outcome: 'failed' });
    expect(await recordOutcome({ ...ids, outcome: 'failed' }, { ...deps, notifier })).toEqual({ changed: false, outcome: 'failed' });

    expect(notifier.published.map((n) => n.attributes)).toEqual([expect.objectContaining({ kind: 'operator_alert', outcome: 'failed', recommendation_id: 'rec-1' })]);
    const [stored] = await deps.recommendations.getRecommendations(ids.customer_id, ['rec-1']);
    expect(stored.status).toBe('failed');
    expect(stored.history.filter((h) => h.status === 'failed')).toHaveLength(1);
  });

  it('a completed plan alerts nobody', async () => {
    const ids = await runningPlan();
    const notifier = new RecordingNotifier();
    expect(await recordOutcome({ ...ids, outcome: 'completed' }, { ...deps, notifier })).toEqual({ changed: true, outcome: 'completed' });
    expect(notifier.published).toEqual([]);
  });
});
