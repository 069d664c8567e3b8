// "Wait for dependencies" on DynamoDB Local: ready, waiting (the recommendation says so), blocked
// by a dependency that ended otherwise, and given up after seven days of waiting.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { checkDependencies, MAX_DEPENDENCY_WAIT_MS } from '../../functions/core/use-cases/check-dependencies.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { rec } from '../support/fixtures.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

let now = new Date();
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
    clock: { now: () => now },
    ids: { next: newId },
  };
});

/** `parent` (medium risk: waits for approval) and `child` (low risk, approved at once) depending on it. */
async function chain() {
  now = new Date();
  const customer = `cust-${randomUUID().slice(0, 8)}`;
  await coordinate(
    CoordinateRequest.parse({
      customer_id: customer,
      recommendations: [
        rec({ id: 'parent', risk_level: 'medium', affected_resources: ['a'] }),
        rec({ id: 'child', affected_resources: ['b'], dependencies: ['parent'] }),
      ],
    }),
    deps,
  );
  return { customer_id: customer, recommendation_id: 'child' };
}

async function statusOf(customer: string, id: string) {
  return (await deps.recommendations.getRecommendations(customer, [id]))[0];
}

describe('waiting for dependencies', () => {
  it('waits while a dependency is pending, and says so on the recommendation', async () => {
    const input = await chain();
    expect(await checkDependencies(input, deps)).toEqual({ state: 'waiting', waiting_for: ['parent'] });
    expect((await statusOf(input.customer_id, 'child')).status).toBe('waiting_dependencies');
    expect(await checkDependencies(input, deps)).toEqual({ state: 'waiting', waiting_for: ['parent'] });
  });

  it('gives up after seven days of waiting, with the reason in the history', async () => {
    const input = await chain();
    await checkDependencies(input, deps);
    now = new Date(now.getTime() + MAX_DEPENDENCY_WAIT_MS + 1000);
    expect(await checkDependencies(input, deps)).toEqual({
      state: 'blocked',
      blocked_by: 'parent',
      blocked_status: 'pending_approval',
    });
    expect((await statusOf(input.customer_id, 'child')).history.at(-1)?.reason).toBe(
      'parent did not complete within 7 days: cancelling',
    );
  });
});
