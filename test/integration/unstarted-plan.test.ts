// Issue 13 §8: a recommendation that ends before its plan starts (superseded while approved and idle,
// its execution stopped) leaves no plan saying `pending`: the plan is `cancelled`, its steps `skipped`.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import { cleanUpEndedExecution } from '../../functions/core/use-cases/clean-up-ended-execution.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { rec } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

let deps: ReturnType<typeof dynamoStores> & {
  workflow: RecordingWorkflow;
  notifier: RecordingNotifier;
  clock: { now(): Date };
  ids: { next: typeof newId };
};

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  deps = {
    ...dynamoStores(endpoint, tableName),
    workflow: new RecordingWorkflow(),
    notifier: new RecordingNotifier(),
    clock: { now: () => new Date() },
    ids: { next: newId },
  };
});

describe('a plan that never started', () => {
  it('is cancelled with its steps skipped when its recommendation was superseded and its execution stopped', async () => {
    const customer = `up-${randomUUID().slice(0, 8)}`;
    await coordinate(
      CoordinateRequest.parse({
        customer_id: customer,
        recommendations: [rec({ id: 'rec-1', action: 'migrate_to_spot', affected_resources: ['i-1'] })],
        auto_approve: true,
        execute_now: false,
      }),
      deps,
    );
    const at = new Date().toISOString();
    await deps.recommendations.saveCoordination({
      customerId: customer,
      created: [],
      changed: [
        {
          id: 'rec-1',
          from: 'approved',
          to: 'superseded',
          entry: { status: 'superseded', reason: 'superseded by rec-2', at },
        },
      ],
      approvals: [],
      plans: [],
      cancelledApprovals: [],
    });

    await cleanUpEndedExecution(
      { customer_id: customer, recommendation_id: 'rec-1', execution_name: executionName(customer, 'rec-1') },
      deps,
    );
    const [stored] = await deps.recommendations.getRecommendations(customer, ['rec-1']);
    expect(stored.status).toBe('superseded');
    expect(stored.status_reason).toBe('superseded by rec-2');
    const plan = (await deps.plans.getPlan(customer, stored.plan_id!))!;
    expect(plan.status).toBe('cancelled');
    expect(plan.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
    // Once: a second cleanup changes nothing.
    await cleanUpEndedExecution(
      { customer_id: customer, recommendation_id: 'rec-1', execution_name: executionName(customer, 'rec-1') },
      deps,
    );
    expect((await deps.plans.getPlan(customer, stored.plan_id!))!.status).toBe('cancelled');
  });
});
