// A plan whose recommendation moved on (superseded after approval) never starts its steps.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { NotRunnable } from '../../functions/core/ports/workflow-contract.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { recordStep } from '../../functions/core/use-cases/record-step.js';
import { rec } from '../support/fixtures.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

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

it('refuses to start the steps of a superseded recommendation, and leaves its plan pending', async () => {
  const customer_id = `cust-${randomUUID().slice(0, 8)}`;
  await coordinate(
    CoordinateRequest.parse({
      customer_id,
      recommendations: [rec({ id: 'first', affected_resources: ['db'], priority: 1 })],
    }),
    deps,
  );
  await coordinate(
    CoordinateRequest.parse({
      customer_id,
      recommendations: [rec({ id: 'better', affected_resources: ['db'], priority: 9 })],
    }),
    deps,
  );
  const [first] = await deps.recommendations.getRecommendations(customer_id, ['first']);
  expect(first.status).toBe('superseded');
  await expect(recordStep({ customer_id, recommendation_id: 'first', event: 'start' }, deps)).rejects.toBeInstanceOf(
    NotRunnable,
  );
  expect((await deps.plans.getPlan(customer_id, first.plan_id!))?.status).toBe('pending');
});
