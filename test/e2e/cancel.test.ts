// Cancel (issue 9 §5) end to end over HTTP on the local stack: pending approval, waiting for its
// execution request (with a dependent), executing (no further step, completed reversible steps rolled
// back in reverse, or rollback_failed), and a terminal one (409). Who may cancel is checked too.
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { arbiterClient } from '../../local/arbiter-client.js';
import {
  agentCalls,
  type Customer,
  coordinateApproved,
  executeNow,
  executionStackForFile,
  finished,
  newCustomer,
  operatorAlerts,
  recommendation,
  spotMigration,
  stepStatuses,
} from '../support/execution.js';
import { agentOf } from '../support/local-stack.js';
import { coordinateRisky, recommendationWhen, reviewLink, workflowEnd, workflowPathTo } from './approval-setup.js';

const stack = executionStackForFile();

const cancel = (customer: Customer, id: string, reason = 'no longer wanted') =>
  customer.agent.call<{ status: string; message: string; cancel_requested: { by: string } }>(
    'POST',
    `/coordination/recommendations/${id}/cancel`,
    { reason },
  );

describe('cancelling a recommendation that has not started', () => {
  it('pending approval: cancelled at once, its approval closed, its link says so, its workflow ends without locks', async () => {
    const customer = await newCustomer(stack, 1);
    const approvalId = await coordinateRisky(customer, { id: 'rec-pending', affected_resources: ['vm-1'] });
    const link = await reviewLink(stack, customer.approvers[0], approvalId);

    const reply = await cancel(customer, 'rec-pending', 'the VM is being retired');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'cancelled', cancel_requested: { by: 'orchestrator cost-agent-1' } });

    const view = await recommendation(customer, 'rec-pending');
    expect(view.status).toBe('cancelled');
    expect(view.status_reason).toBe('cancelled by orchestrator cost-agent-1: the VM is being retired');
    expect(view.approval?.status).toBe('cancelled');
    const page = await (await fetch(link)).text();
    expect(page).toContain('withdrawn');
    expect(page).toContain('cancelled by orchestrator cost-agent-1: the VM is being retired');
    // A late decision is refused: the approval is closed.
    const late = await customer.approvers[0].client.call('POST', `/coordination/approvals/${approvalId}/approve`, {
      user_id: customer.approvers[0].email,
    });
    expect(late.status).toBe(409);

    const end = await workflowEnd(stack, customer.id, 'rec-pending');
    expect(end).toEqual({ status: 'SUCCEEDED', lastState: 'Cancelled' });
    const path = await workflowPathTo(stack, customer.id, 'rec-pending', end.lastState!);
    expect(path).not.toContain('Acquire resource locks');
    expect(path).toContain('Request approval');
    // No plan is built before approval: nothing is left pending.
    expect((await recommendation(customer, 'rec-pending')).plan).toBeNull();
  });

  it('waiting for its execution request: cancelled, its workflow stopped before any lock, its dependent cancelled', async () => {
    const customer = await newCustomer(stack, 0);
    await coordinateApproved(
      customer,
      [
        { id: 'rec-first', affected_resources: ['db-1'] },
        { id: 'rec-then', affected_resources: ['db-2'], dependencies: ['rec-first'] },
      ],
      false,
    );
    await recommendationWhen(customer, 'rec-first', 'approved');

    const reply = await cancel(customer, 'rec-first', 'superseded by a manual change');
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('cancelled');

    const end = await workflowEnd(stack, customer.id, 'rec-first');
    expect(end.status).toBe('ABORTED');
    expect(await workflowPathTo(stack, customer.id, 'rec-first', end.lastState!)).not.toContain(
      'Acquire resource locks',
    );
    // Its cleanup cancels the plan it never started.
    const first = await recommendationWhen(customer, 'rec-first', 'cancelled');
    expect(first.status_reason).toBe('cancelled by orchestrator cost-agent-1: superseded by a manual change');
    await expect
      .poll(async () => (await recommendation(customer, 'rec-first')).plan?.status, { timeout: 10_000 })
      .toBe('cancelled');
    const dependent = await recommendationWhen(customer, 'rec-then', 'cancelled');
    expect(dependent.status_reason).toContain('rec-first was cancelled by orchestrator cost-agent-1');
    // Nothing to run any more.
    const execute = await customer.agent.call('POST', `/coordination/plans/${first.plan_id}/execute`);
    expect(execute.status).toBe(409);
  });
});

describe('cancelling an executing recommendation', () => {
  it('dispatches no further step, rolls back the completed reversible steps last first, and ends cancelled', async () => {
    const customer = await newCustomer(stack, 0);
    // Each step takes a while: the cancel lands while one runs.
    await executeNow(customer, [spotMigration('rec-run', { delay_ms: 1500 })]);
    const running = await recommendationWhen(customer, 'rec-run', 'executing');
    await expect
      .poll(() => agentCalls(stack, running.plan_id!), { timeout: 15_000 })
      .toEqual(['execute take_snapshot', 'execute migrate_workload']);

    const reply = await cancel(customer, 'rec-run', 'maintenance window moved');
    expect(reply.status).toBe(202);
    expect(reply.body.status).toBe('executing');

    const done = await finished(stack, customer, 'rec-run', 30_000);
    expect(done.view.status).toBe('cancelled');
    expect(done.view.status_reason).toMatch(/^cancelled by orchestrator cost-agent-1: maintenance window moved; plan /);
    expect(done.lastState).toBe('Cancelled');
    expect(agentCalls(stack, done.plan.id)).toEqual([
      'execute take_snapshot',
      'execute migrate_workload',
      'rollback migrate_workload',
      'rollback take_snapshot',
    ]);
    expect(stepStatuses(done.plan)).toEqual([
      'take_snapshot: rolled_back',
      'migrate_workload: rolled_back',
      'validate_quality: skipped',
    ]);
    expect(done.plan.status).toBe('cancelled');
    // Its resources are free again: the same resource runs for a newcomer.
    await executeNow(customer, [{ id: 'rec-after', affected_resources: ['i-rec-run'] }]);
    expect((await finished(stack, customer, 'rec-after', 30_000)).view.status).toBe('completed');
    // Cancelled is not an alert; a second cancel is refused.
    expect(await operatorAlerts(stack, 'rec-run')).toEqual([]);
    expect((await cancel(customer, 'rec-run')).status).toBe(409);
  });

  it('ends rollback_failed, with the operators alerted, when an undo fails', async () => {
    const customer = await newCustomer(stack, 0);
    await executeNow(customer, [spotMigration('rec-undo', { delay_ms: 1000, fail_rollback: ['take_snapshot'] })]);
    const running = await recommendationWhen(customer, 'rec-undo', 'executing');
    await expect
      .poll(() => agentCalls(stack, running.plan_id!), { timeout: 15_000 })
      .toContain('execute migrate_workload');
    expect((await cancel(customer, 'rec-undo')).status).toBe(202);

    const done = await finished(stack, customer, 'rec-undo', 30_000);
    expect(done.view.status).toBe('rollback_failed');
    expect(done.view.status_reason).toContain('cancelled by orchestrator cost-agent-1: no longer wanted');
    expect(done.lastState).toBe('Rollback failed');
    expect((await operatorAlerts(stack, 'rec-undo')).map((m) => m.attributes.outcome)).toEqual(['rollback_failed']);
  });
});

describe('who may cancel, and when not', () => {
  it('refuses another plain agent (403), an approver (403), and a terminal recommendation (409)', async () => {
    const customer = await newCustomer(stack, 1);
    await executeNow(customer, [{ id: 'rec-done', affected_resources: ['x-1'] }]);
    const done = await finished(stack, customer, 'rec-done', 30_000);
    expect(done.view.status).toBe('completed');

    const admin = arbiterClient(stack.url, stack.adminKey);
    const perf9 = await agentOf(stack, 'perf-agent-9', customer.id);
    const foreign = await perf9.call('POST', '/coordination/recommendations/rec-done/cancel', { reason: 'mine now' });
    expect(foreign.status).toBe(403);
    const byApprover = await customer.approvers[0].client.call(
      'POST',
      '/coordination/recommendations/rec-done/cancel',
      { reason: 'no' },
    );
    expect(byApprover.status).toBe(403);
    const terminal = await admin.call(
      'POST',
      `/coordination/recommendations/rec-done/cancel?customer_id=${customer.id}`,
      {
        reason: 'too late',
      },
    );
    expect(terminal.status).toBe(409);
    expect(JSON.stringify(terminal.body)).toContain('already ended completed');
    const noReason = await customer.agent.call('POST', '/coordination/recommendations/rec-done/cancel', {});
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');

    // Its own agent may: a recommendation of perf-agent-9, cancelled with perf-agent-9's key.
    await coordinateApproved(
      customer,
      [{ id: 'rec-own', agent_id: 'perf-agent-9', affected_resources: ['x-2'] }],
      false,
    );
    await recommendationWhen(customer, 'rec-own', 'approved');
    const own = await perf9.call<{ cancel_requested: { by: string } }>(
      'POST',
      '/coordination/recommendations/rec-own/cancel',
      { reason: 'not needed' },
    );
    expect(own.status).toBe(200);
    expect(own.body.cancel_requested.by).toBe('agent perf-agent-9');
  });
});

describe('arbiter cancel', () => {
  it('cancels from the command line, and exits 1 with the reason when it already ended', async () => {
    const customer = await newCustomer(stack, 0);
    await coordinateApproved(customer, [{ id: 'rec-cli', affected_resources: ['cli-1'] }], false);
    await recommendationWhen(customer, 'rec-cli', 'approved');
    const arbiter = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const io = {
        stdout: (t: string) => void (stdout += t),
        stderr: (t: string) => void (stderr += t),
        stdin: async () => undefined,
        env: { ARBITER_URL: stack.url, ARBITER_KEY: stack.adminKey },
      };
      return { code: await run(args, io), stdout, stderr };
    };
    const first = await arbiter('cancel', 'rec-cli', '--reason', 'done by hand', '--customer', customer.id);
    expect(first).toMatchObject({ code: 0, stdout: 'Cancelled: rec-cli (cancelled, by the admin key)\n' });
    expect((await recommendation(customer, 'rec-cli')).status_reason).toBe('cancelled by the admin key: done by hand');
    const again = await arbiter('cancel', 'rec-cli', '--reason', 'again', '--customer', customer.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409');
    expect(again.stderr).toContain('already ended cancelled');
    expect((await arbiter('cancel', 'rec-cli')).code).toBe(2);
  });
});
