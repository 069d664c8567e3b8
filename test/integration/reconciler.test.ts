// The reconciler on DynamoDB Local: each in-flight recommendation whose workflow is not running gets
// one new workflow, entered at the right state through its input, even with two reconcilers at once.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDependencyWaiters } from '../../functions/adapters/dependency-waiters.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { DynamoReconcileStore } from '../../functions/adapters/reconcile-store.js';
import { StateConflict } from '../../functions/core/model/errors.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import { awaitDependencies } from '../../functions/core/use-cases/await-dependencies.js';
import { awaitExecution } from '../../functions/core/use-cases/await-execution.js';
import { checkDependencies } from '../../functions/core/use-cases/check-dependencies.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { reconcile, stopWorkflowOf } from '../../functions/core/use-cases/reconcile.js';
import { recordStep } from '../../functions/core/use-cases/record-step.js';
import { requestExecution } from '../../functions/core/use-cases/request-execution.js';
import { rec } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

let now: Date | undefined;
let endpoint = '';
let tableName = '';
const endpointOf = () => endpoint;
const tableOf = () => tableName;
let base: ReturnType<typeof dynamoStores> & {
  reconcile: DynamoReconcileStore;
  notifier: RecordingNotifier;
  clock: { now(): Date };
  ids: { next: typeof newId };
};

beforeAll(async () => {
  ({ endpoint, tableName } = await freshTable());
  const clock = { now: () => now ?? new Date() };
  base = {
    ...dynamoStores(endpoint, tableName),
    reconcile: new DynamoReconcileStore(documentClient({ endpoint }), tableName),
    notifier: new RecordingNotifier(),
    clock,
    ids: { next: newId },
  };
});

/** A customer with one recommendation coordinated (its StartExecution went to a recorder: nothing runs). */
async function inFlight(
  fields: Record<string, unknown>,
  options: { executeNow?: boolean; autoApprove?: boolean } = {},
) {
  now = undefined;
  const workflow = new RecordingWorkflow();
  const customer = `rc-${randomUUID().slice(0, 8)}`;
  const request = CoordinateRequest.parse({
    customer_id: customer,
    recommendations: [rec({ id: 'rec-1', affected_resources: ['i-1'], ...fields } as never)],
    auto_approve: options.autoApprove ?? true,
    execute_now: options.executeNow ?? true,
  });
  await coordinate(request, { ...base, workflow });
  return { customer, workflow, deps: { ...base, workflow } };
}

const repairsOf = (workflow: RecordingWorkflow, customer: string) =>
  [...workflow.started].filter(([name]) => name === executionName(customer, 'rec-1', 1));

describe('the reconciler', () => {
  it('repairs an approved recommendation once, even when two reconcilers run at once', async () => {
    const { customer, workflow, deps } = await inFlight({});
    await Promise.all([reconcile(deps, { minAgeMs: 0 }), reconcile(deps, { minAgeMs: 0 })]);
    const repairs = repairsOf(workflow, customer);
    expect(repairs).toHaveLength(1);
    expect(repairs[0][1]).toMatchObject({
      customer_id: customer,
      recommendation_id: 'rec-1',
      approval: { required: false },
      execute_now: true,
    });
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

  it('enters a plan lost after its last step passed at its completion: nothing rolled back, not marked interrupted', async () => {
    const { customer, workflow, deps } = await inFlight({});
    await recordStep({ customer_id: customer, recommendation_id: 'rec-1', event: 'start' }, deps);
    expect(await base.plans.passLastStep(customer, 'rec-1', new Date().toISOString())).toBe(true);
    const repairs = (await reconcile(deps, { minAgeMs: 0 })).filter((r) => r.customer_id === customer);
    expect(repairs).toEqual([expect.objectContaining({ entered_at: 'completion (last step passed)' })]);
    const [[, input]] = repairsOf(workflow, customer);
    expect(input).toMatchObject({ last_step_passed: true });
    expect(input).not.toHaveProperty('interrupted');
    const [stored] = await base.recommendations.getRecommendations(customer, ['rec-1']);
    expect((await base.plans.getPlan(customer, stored.plan_id!))?.interrupted_at).toBeUndefined();
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

  it('ends an approved plan nobody asked to execute within execute_within_seconds: its waiting task fails with Expired, once', async () => {
    const { customer, workflow, deps } = await inFlight({}, { executeNow: false });
    await awaitExecution({ customer_id: customer, recommendation_id: 'rec-1', task_token: 'idle-token' }, deps);
    workflow.running.add(executionName(customer, 'rec-1'));
    expect((await reconcile(deps, { minAgeMs: 0 })).filter((r) => r.customer_id === customer)).toEqual([]);

    now = new Date(Date.now() + 7 * 86_400_000 + 60_000); // the default policy: 7 days
    await Promise.all([reconcile(deps, { minAgeMs: 0 }), reconcile(deps, { minAgeMs: 0 })]);
    expect(workflow.signals.filter((s) => s.token === 'idle-token')).toEqual([
      { token: 'idle-token', kind: 'failure', detail: 'Expired' },
    ]);
    const [stored] = await base.recommendations.getRecommendations(customer, ['rec-1']);
    // Executing it now answers 409 with the reason.
    await expect(requestExecution(customer, stored.plan_id!, deps)).rejects.toThrow(StateConflict);
  });

  it('without a waiting workflow, records the expiry itself: expired with the reason, plan cancelled, steps skipped', async () => {
    const { customer, deps } = await inFlight(
      { expires_at: new Date(Date.now() + 3_600_000).toISOString() },
      { executeNow: false },
    );
    now = new Date(Date.now() + 2 * 3_600_000);
    await reconcile(deps, { minAgeMs: 0 });
    const [stored] = await base.recommendations.getRecommendations(customer, ['rec-1']);
    expect(stored.status).toBe('expired');
    expect(stored.history.at(-1)?.reason).toMatch(/^expired: expires_at .* passed before the plan started$/);
    const plan = (await base.plans.getPlan(customer, stored.plan_id!))!;
    expect(plan.status).toBe('cancelled');
    expect(plan.steps.map((step) => step.status)).toEqual(['skipped']);
    await expect(requestExecution(customer, stored.plan_id!, deps)).rejects.toThrow(/expired/);
  });
});

describe('stopping a repaired recommendation', () => {
  it('stops its first execution and every repaired one', async () => {
    const { customer, workflow, deps } = await inFlight({});
    await reconcile(deps, { minAgeMs: 0 });
    await stopWorkflowOf(customer, 'rec-1', 'superseded', deps);
    expect(workflow.stopped).toEqual([executionName(customer, 'rec-1'), executionName(customer, 'rec-1', 1)]);
  });
});

describe('expiry while waiting', () => {
  it('wakes a dependent waiting past its expires_at, so its next check ends it', async () => {
    now = undefined;
    const workflow = new RecordingWorkflow();
    const customer = `rx-${randomUUID().slice(0, 8)}`;
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const request = CoordinateRequest.parse({
      customer_id: customer,
      recommendations: [
        rec({ id: 'parent', risk_level: 'medium', affected_resources: ['a'] }),
        rec({ id: 'rec-1', affected_resources: ['b'], dependencies: ['parent'], expires_at: expiresAt } as never),
      ],
      execute_now: true,
    });
    const waiters = new DynamoDependencyWaiters(documentClient({ endpoint: endpointOf() }), tableOf());
    const deps = { ...base, workflow, waiters };
    await coordinate(request, deps);
    await awaitDependencies({ customer_id: customer, recommendation_id: 'rec-1', task_token: 'dep-token' }, deps);
    workflow.running.add(executionName(customer, 'rec-1'));
    workflow.running.add(executionName(customer, 'parent'));

    await reconcile(deps, { minAgeMs: 0 });
    expect(workflow.signals.filter((s) => s.token === 'dep-token')).toEqual([]);
    now = new Date(Date.now() + 2 * 3_600_000);
    await reconcile(deps, { minAgeMs: 0 });
    expect(workflow.signals.filter((s) => s.token === 'dep-token')).toEqual([
      { token: 'dep-token', kind: 'success', detail: { state: 'expired' } },
    ]);
    expect(await checkDependencies({ customer_id: customer, recommendation_id: 'rec-1' }, deps)).toEqual({
      state: 'expired',
    });
  });
});
