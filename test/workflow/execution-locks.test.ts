// Two executions never run on one resource, nor beyond the customer's max_concurrent_executions:
// the real workflow waits in "Acquire resource locks" (retrying ResourceBusy) until the holder lets
// go. Coordinate never keeps two active recommendations on one resource, so the other holder here
// is either a lock taken directly (a resource busy for another reason) or the customer's limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoResourceLocks } from '../../functions/adapters/resource-locks.js';
import { executionName } from '../../functions/core/workflow.js';
import { arbiterClient, eventually } from '../../local/arbiter-client.js';
import type { LocalStack } from '../../local/stack.js';
import { dynamoStores } from '../support/stores.js';
import { agentCalls, executeNow, finished, newCustomer, operatorAlerts, recommendation, startExecutionStack, stepStatuses } from '../support/execution.js';

/** Ten retries of ResourceBusy 250 ms apart: 2.5 s for a holder to let go. */
const RETRY_MS = 250;

let stack: LocalStack;
let locks: DynamoResourceLocks;

beforeAll(async () => {
  stack = await startExecutionStack(RETRY_MS);
  ({ locks } = dynamoStores(stack.dynamoEndpoint, stack.tableName));
});
afterAll(() => stack?.stop());

/** The ResourceBusy causes the recommendation's execution has met so far. */
function busyCauses(customerId: string, recommendationId: string): string[] {
  const execution = stack.stepFunctions.executions.find(stack.stepFunctions.executions.executionArn(executionName(customerId, recommendationId)));
  return (execution?.history ?? []).flatMap((event) => {
    const details = event.taskFailedEventDetails as { error: string; cause: string } | undefined;
    return details?.error === 'ResourceBusy' ? [details.cause] : [];
  });
}

describe('resource locks in the workflow', () => {
  it('an execution waits while another holds its resource, and runs once the resource is released', async () => {
    const customer = await newCustomer(stack, 0);
    expect(await locks.acquire(customer.id, 'maintenance-window', ['db-main'], 10)).toEqual({ acquired: true });
    const { execution_plans: [plan] } = await executeNow(customer, [{ id: 'rec-wait', action: 'resize_disk', affected_resources: ['db-main'] }]);

    const causes = await eventually('a refused lock', async () => (busyCauses(customer.id, 'rec-wait').length >= 2 ? busyCauses(customer.id, 'rec-wait') : undefined));
    expect(causes[0]).toContain('db-main (held by maintenance-window)');
    expect(agentCalls(stack, plan.id)).toEqual([]);
    // Visible (issue 13 §3): waiting_resources, with a history entry naming the resource and its holder.
    const waiting = await recommendation(customer, 'rec-wait');
    expect(waiting.status).toBe('waiting_resources');
    expect(waiting.history.filter((h) => h.status === 'waiting_resources').map((h) => h.reason)).toEqual(['waiting for resources: resources busy: db-main (held by maintenance-window)']);

    await locks.release(customer.id, 'maintenance-window', ['db-main']);
    const run = await finished(stack, customer, 'rec-wait');
    expect([run.status, run.view.status]).toEqual(['SUCCEEDED', 'completed']);
    expect(Date.parse(run.plan.started_at!)).toBeGreaterThan(Date.parse(run.view.created_at));
    // Released at the end: the resource is free again.
    expect(await locks.acquire(customer.id, 'after', ['db-main'], 10)).toEqual({ acquired: true });
  });

  it('a resource that stays busy fails the recommendation without running a step, and the holder keeps its lock', async () => {
    const customer = await newCustomer(stack, 0);
    await locks.acquire(customer.id, 'long-job', ['db-busy'], 10);
    await executeNow(customer, [{ id: 'rec-busy', action: 'resize_disk', affected_resources: ['db-busy'] }]);

    const run = await finished(stack, customer, 'rec-busy');
    expect([run.status, run.lastState, run.view.status]).toEqual(['FAILED', 'Failed', 'failed']);
    expect(busyCauses(customer.id, 'rec-busy')).toHaveLength(11);
    expect(stepStatuses(run.plan)).toEqual(['resize_disk: skipped']);
    expect(agentCalls(stack, run.plan.id)).toEqual([]);
    const alerts = await operatorAlerts(stack, 'rec-busy');
    expect(alerts).toHaveLength(1);
    // The reason and the alert name what it waited for.
    expect(run.view.history.at(-1)?.reason).toMatch(/^gave up waiting for resources: resources busy: db-busy \(held by long-job\): plan /);
    expect(JSON.stringify(alerts[0])).toContain('waiting for resources: resources busy: db-busy (held by long-job)');
    expect((await locks.acquire(customer.id, 'other', ['db-busy'], 10)).acquired).toBe(false);
  });

  it("with max_concurrent_executions 1, two plans on different resources run one after the other", async () => {
    const customer = await newCustomer(stack, 0);
    const admin = arbiterClient(stack.url, stack.adminKey);
    expect((await admin.call('PUT', `/admin/customers/${customer.id}/policy`, { max_concurrent_executions: 1 })).status).toBe(200);
    const slow = { parameters: { simulate: { delay_ms: 300 } } };
    await executeNow(customer, [
      { id: 'rec-one', action: 'resize_disk', affected_resources: ['vol-1'], ...slow },
      { id: 'rec-two', action: 'resize_disk', affected_resources: ['vol-2'], ...slow },
    ]);

    const runs = await Promise.all(['rec-one', 'rec-two'].map((id) => finished(stack, customer, id)));
    expect(runs.map((r) => r.view.status)).toEqual(['completed', 'completed']);
    const [first, second] = runs.map((r) => r.plan).sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!));
    expect(Date.parse(second.steps[0].started_at!)).toBeGreaterThanOrEqual(Date.parse(first.steps[0].completed_at!));
    const waited = runs.find((r) => r.plan.id === second.id)!.view.id;
    expect(busyCauses(customer.id, waited)).toContainEqual(expect.stringContaining("the customer's maximum of concurrent executions is reached"));
  });
});
