// The reconciler on DynamoDB Local: each in-flight recommendation whose workflow is not running gets
// one new workflow, entered at the right state through its input, even with two reconcilers at once.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoReconcileStore } from '../../functions/adapters/reconcile-store.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { coordinate } from '../../functions/core/coordinate.js';
import { reconcile } from '../../functions/core/reconciler.js';
import { CoordinateRequest } from '../../functions/core/schemas.js';
import { recordStep } from '../../functions/core/step-runner.js';
import { executionName } from '../../functions/core/workflow.js';
import { rec } from '../support/fixtures.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

let base: ReturnType<typeof dynamoStores> & { reconcile: DynamoReconcileStore; clock: { now(): Date }; ids: { next: typeof newId } };

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  base = { ...dynamoStores(endpoint, tableName), reconcile: new DynamoReconcileStore(documentClient({ endpoint }), tableName), clock: { now: () => new Date() }, ids: { next: newId } };
});

/** A customer with one recommendation coordinated (its StartExecution went to a recorder: nothing runs). */
async function inFlight(fields: Record<string, unknown>, options: { executeNow?: boolean; autoApprove?: boolean } = {}) {
  const workflow = new RecordingWorkflow();
  const customer = `rc-${randomUUID().slice(0, 8)}`;
  const request = CoordinateRequest.parse({ customer_id: customer, recommendations: [rec({ id: 'rec-1', affected_resources: ['i-1'], ...fields } as never)], auto_approve: options.autoApprove ?? true, execute_now: options.executeNow ?? true });
  await coordinate(request, { ...base, workflow });
  return { customer, workflow, deps: { ...base, workflow } };
}

const repairsOf = (workflow: RecordingWorkflow, customer: string) => [...workflow.started].filter(([name]) => name === executionName(customer, 'rec-1', 1));

describe('the reconciler', () => {
  it('repairs an approved recommendation once, even when two reconcilers run at once', async () => {
    const { customer, workflow, deps } = await inFlight({});
    await Promise.all([reconcile(deps, { minAgeMs: 0 }), reconcile(deps, { minAgeMs: 0 })]);
    const repairs = repairsOf(workflow, customer);
    expect(repairs).toHaveLength(1);
    expect(repairs[0][1]).toMatchObject({ customer_id: customer, recommendation_id: 'rec-1', approval: { required: false }, execute_now: true });
    expect(repairs[0][1]).not.toHaveProperty('interrupted');
  });

  it('leaves alone a recommendation whose workflow runs, and one changed too recently', async () => {
    const { customer, workflow, deps } = await inFlight({});
    workflow.running.add(executionName(customer, 'rec-1'));
    expect((await reconcile(deps, { minAgeMs: 0 })).filter((r) => r.customer_id === customer)).toEqual([]);
    workflow.running.clear();
    expect((await reconcile(deps, { minAgeMs: 3_600_000 })).filter((r) => r.customer_id === customer)).toEqual([]);
    expect(repairsOf(workflow, customer)).toEqual([]);
  });

  it('gives a pending approval a workflow waiting on the same approval', async () => {
    const { customer, workflow, deps } = await inFlight({ risk_level: 'medium' }, { autoApprove: false });
    const [stored] = await base.recommendations.getRecommendations(customer, ['rec-1']);
    expect(stored.status).toBe('pending_approval');
    await reconcile(deps, { minAgeMs: 0 });
    const [[, input]] = repairsOf(workflow, customer);
    expect(input.approval).toMatchObject({ required: true, approval_id: stored.approval_id });
    expect(input.approval.timeout_seconds).toBeGreaterThan(60);
  });

  it('enters an interrupted plan at its rollback and marks the plan interrupted', async () => {
    const { customer, workflow, deps } = await inFlight({});
    await recordStep({ customer_id: customer, recommendation_id: 'rec-1', event: 'start' }, deps);
    await reconcile(deps, { minAgeMs: 0 });
    const [[, input]] = repairsOf(workflow, customer);
    expect(input).toMatchObject({ interrupted: true });
    const [stored] = await base.recommendations.getRecommendations(customer, ['rec-1']);
    expect((await base.plans.getPlan(customer, stored.plan_id!))?.interrupted_at).toEqual(expect.any(String));
  });

  it('repairs again when the repaired workflow is gone too, under the next name', async () => {
    const { customer, workflow, deps } = await inFlight({});
    await reconcile(deps, { minAgeMs: 0 });
    await reconcile(deps, { minAgeMs: 0 });
    expect(workflow.started.has(executionName(customer, 'rec-1', 2))).toBe(true);
    workflow.running.add(executionName(customer, 'rec-1', 2));
    await reconcile(deps, { minAgeMs: 0 });
    expect(workflow.started.has(executionName(customer, 'rec-1', 3))).toBe(false);
  });
});
