// Step results live in items of their own (DynamoDB Local enforces the 400 KB item limit): a plan of
// 50 steps, each bringing back the largest result an agent may send, is recorded whole, shown
// whole, and ends completed.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { MAX_REPORT_BYTES } from '../../functions/core/use-cases/dispatch-step.js';
import { recordOutcome } from '../../functions/core/use-cases/record-outcome.js';
import { recordStep } from '../../functions/core/use-cases/record-step.js';
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
let endpoint: string;
let tableName: string;

beforeAll(async () => {
  ({ endpoint, tableName } = await freshTable());
  deps = {
    ...dynamoStores(endpoint, tableName),
    workflow: new RecordingWorkflow(),
    notifier: new RecordingNotifier(),
    clock: { now: () => new Date() },
    ids: { next: newId },
  };
});

/** A result and rollback data as large as an agent may send together (MAX_REPORT_BYTES of JSON). */
function largestOutcome(index: number) {
  const filler = (bytes: number) => `${index}:`.padEnd(bytes, 'x');
  const outcome = { result: { data: filler(MAX_REPORT_BYTES / 2) }, rollback_data: { data: '' } };
  const room = MAX_REPORT_BYTES - Buffer.byteLength(JSON.stringify(outcome));
  outcome.rollback_data.data = filler(room);
  expect(Buffer.byteLength(JSON.stringify(outcome))).toBe(MAX_REPORT_BYTES);
  return outcome;
}

describe('a plan of 50 steps, each with the largest result', () => {
  it('records every result, shows them all, and completes', async () => {
    const customer = `big-${randomUUID().slice(0, 8)}`;
    const steps = Array.from({ length: 50 }, (_, i) => ({ action: `step_${i}`, critical: true, reversible: true }));
    const request = CoordinateRequest.parse({
      customer_id: customer,
      recommendations: [rec({ id: 'rec-big', steps } as never)],
      auto_approve: true,
      execute_now: true,
    });
    await coordinate(request, deps);
    const ids = { customer_id: customer, recommendation_id: 'rec-big' };

    let cursor = await recordStep({ ...ids, event: 'start' }, deps);
    for (let i = 0; i < 50; i++) {
      expect(cursor).toMatchObject({ index: i, done: false });
      cursor = await recordStep({ ...ids, event: 'completed', step_index: i, outcome: largestOutcome(i) }, deps);
    }
    expect(cursor).toMatchObject({ done: true });
    expect(await recordOutcome({ ...ids, approval_id: null, outcome: 'completed' }, deps)).toEqual({
      changed: true,
      outcome: 'completed',
    });

    const [stored] = await deps.recommendations.getRecommendations(customer, ['rec-big']);
    expect(stored.status).toBe('completed');
    const plan = (await deps.plans.getPlan(customer, stored.plan_id!))!;
    expect(plan.status).toBe('completed');
    expect(plan.steps.map((s) => s.status)).toEqual(Array(50).fill('completed'));
    plan.steps.forEach((step, i) => {
      expect(step.result).toEqual(largestOutcome(i).result);
      expect(step.rollback_data).toEqual(largestOutcome(i).rollback_data);
    });

    // The plan item itself holds none of them.
    const item = await documentClient({ endpoint }).send(
      new GetCommand({ TableName: tableName, Key: { pk: keys.customer(customer), sk: keys.plan(plan.id) } }),
    );
    expect(Buffer.byteLength(JSON.stringify(item.Item))).toBeLessThan(64 * 1024);
    expect(item.Item?.steps.some((s: Record<string, unknown>) => 'result' in s || 'rollback_data' in s)).toBe(false);
  });

  it('a repeated report of a step changes nothing: the first result stays', async () => {
    const customer = `rep-${randomUUID().slice(0, 8)}`;
    const request = CoordinateRequest.parse({
      customer_id: customer,
      recommendations: [rec({ id: 'rec-1', steps: [{ action: 'a' }, { action: 'b' }] } as never)],
      auto_approve: true,
      execute_now: true,
    });
    await coordinate(request, deps);
    const ids = { customer_id: customer, recommendation_id: 'rec-1' };
    await recordStep({ ...ids, event: 'start' }, deps);
    await recordStep({ ...ids, event: 'completed', step_index: 0, outcome: { result: { first: true } } }, deps);
    await recordStep({ ...ids, event: 'completed', step_index: 0, outcome: { result: { second: true } } }, deps);
    const [stored] = await deps.recommendations.getRecommendations(customer, ['rec-1']);
    const plan = (await deps.plans.getPlan(customer, stored.plan_id!))!;
    expect(plan.steps[0].result).toEqual({ first: true });
    expect(plan.steps[1]).not.toHaveProperty('result');
  });
});
