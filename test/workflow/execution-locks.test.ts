// Two executions never run on one resource, nor beyond the customer's max_concurrent_executions:
// the real workflow waits in "Wait for resources" (waiting_resources, queued on a task token) until
// the holder lets go and wakes it (issue 13 §3: visible, fair, event-driven). Coordinate never keeps
// two active recommendations on one resource, so the other holder here is either a lock taken
// directly (a resource busy for another reason) or the customer's limit.
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { DynamoLockWaiters } from '../../functions/adapters/lock-waiters.js';
import type { DynamoResourceLocks } from '../../functions/adapters/resource-locks.js';
import { StepFunctionsWorkflow } from '../../functions/adapters/step-functions.js';
import { wakeWaiters } from '../../functions/core/use-cases/resource-locks.js';
import { arbiterClient, eventually } from '../../local/arbiter-client.js';
import { statesEntered } from '../e2e/workflow-states.js';
import {
  agentCalls,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  operatorAlerts,
  recommendation,
  stepStatuses,
} from '../support/execution.js';
import { dynamoStores } from '../support/stores.js';

const stack = executionStackForFile();
let locks: DynamoResourceLocks;
let waiters: DynamoLockWaiters;
let workflow: StepFunctionsWorkflow;

beforeAll(async () => {
  ({ locks } = dynamoStores(stack.dynamoEndpoint, stack.tableName));
  waiters = new DynamoLockWaiters(documentClient({ endpoint: stack.dynamoEndpoint }), stack.tableName);
  workflow = new StepFunctionsWorkflow(stack.stepFunctions.stateMachineArn, stack.stepFunctions.endpoint);
});

describe('resource locks in the workflow', () => {
  it('an execution waits, visibly, while another holds its resource, and runs once the holder releases it and wakes it', async () => {
    const customer = await newCustomer(stack, 0);
    expect(await locks.acquire(customer.id, 'maintenance-window', ['db-main'], 10)).toEqual({ acquired: true });
    const {
      execution_plans: [plan],
    } = await executeNow(customer, [{ id: 'rec-wait', action: 'resize_disk', affected_resources: ['db-main'] }]);

    await eventually('the execution to wait for resources', async () =>
      statesEntered(stack, customer.id, 'rec-wait').includes('Wait for resources') ? true : undefined,
    );
    expect(agentCalls(stack, plan.id)).toEqual([]);
    // Visible: waiting_resources, with a history entry naming the resource and its holder.
    const waiting = await recommendation(customer, 'rec-wait');
    expect(waiting.status).toBe('waiting_resources');
    expect(waiting.history.filter((h) => h.status === 'waiting_resources').map((h) => h.reason)).toEqual([
      'waiting for resources: resources busy: db-main (held by maintenance-window)',
    ]);
    expect((await waiters.queue(customer.id, 'db-main')).map((w) => w.recommendation_id)).toEqual(['rec-wait']);

    // What Arbiter's own release does: free the resource, wake the first in line.
    await locks.release(customer.id, 'maintenance-window', ['db-main']);
    expect(await wakeWaiters(customer.id, ['db-main'], { lockWaiters: waiters, workflow })).toBe(1);
    const run = await finished(stack, customer, 'rec-wait');
    expect([run.status, run.view.status]).toEqual(['SUCCEEDED', 'completed']);
    // Woken, not polled: one wait, no timeout.
    expect(statesEntered(stack, customer.id, 'rec-wait').filter((s) => s === 'Wait for resources')).toHaveLength(1);
    expect(await waiters.queue(customer.id, 'db-main')).toEqual([]);
    // Released at the end: the resource is free again.
    expect(await locks.acquire(customer.id, 'after', ['db-main'], 10)).toEqual({ acquired: true });
  });

  it('a resource that stays busy past max_wait_seconds fails the recommendation without running a step, naming what it waited for', {
    timeout: 150_000,
  }, async () => {
    const customer = await newCustomer(stack, 0);
    const admin = arbiterClient(stack.url, stack.adminKey);
    expect((await admin.call('PUT', `/admin/customers/${customer.id}/policy`, { max_wait_seconds: 60 })).status).toBe(
      200,
    );
    await locks.acquire(customer.id, 'long-job', ['db-busy'], 10);
    await executeNow(customer, [{ id: 'rec-busy', action: 'resize_disk', affected_resources: ['db-busy'] }]);

    const run = await finished(stack, customer, 'rec-busy', 120_000);
    expect([run.status, run.lastState, run.view.status]).toEqual(['FAILED', 'Failed', 'failed']);
    expect(stepStatuses(run.plan)).toEqual(['resize_disk: skipped']);
    expect(agentCalls(stack, run.plan.id)).toEqual([]);
    const alerts = await operatorAlerts(stack, 'rec-busy');
    expect(alerts).toHaveLength(1);
    // The reason and the alert name what it waited for.
    expect(run.view.history.at(-1)?.reason).toMatch(
      /^gave up waiting for resources: resources busy: db-busy \(held by long-job\): plan /,
    );
    expect(JSON.stringify(alerts[0])).toContain('waiting for resources: resources busy: db-busy (held by long-job)');
    expect((await locks.acquire(customer.id, 'other', ['db-busy'], 10)).acquired).toBe(false);
    expect(await waiters.queue(customer.id, 'db-busy')).toEqual([]);
  });

  it("with max_concurrent_executions 1, two plans on different resources run one after the other: the first one's release wakes the second", async () => {
    const customer = await newCustomer(stack, 0);
    const admin = arbiterClient(stack.url, stack.adminKey);
    expect(
      (await admin.call('PUT', `/admin/customers/${customer.id}/policy`, { max_concurrent_executions: 1 })).status,
    ).toBe(200);
    const slow = { parameters: { simulate: { delay_ms: 300 } } };
    await executeNow(customer, [
      { id: 'rec-one', action: 'resize_disk', affected_resources: ['vol-1'], ...slow },
      { id: 'rec-two', action: 'resize_disk', affected_resources: ['vol-2'], ...slow },
    ]);

    const runs = await Promise.all(['rec-one', 'rec-two'].map((id) => finished(stack, customer, id)));
    expect(runs.map((r) => r.view.status)).toEqual(['completed', 'completed']);
    const [first, second] = runs
      .map((r) => r.plan)
      .sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!));
    expect(Date.parse(second.steps[0].started_at!)).toBeGreaterThanOrEqual(Date.parse(first.steps[0].completed_at!));
    const waited = runs.find((r) => r.plan.id === second.id)!.view;
    expect(waited.history.map((h) => h.reason)).toContainEqual(
      "waiting for resources: the customer's maximum of concurrent executions is reached",
    );
    expect(statesEntered(stack, customer.id, waited.id).filter((s) => s === 'Wait for resources')).toHaveLength(1);
  });
});
