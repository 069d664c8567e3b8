// The execution half of the ASL with fake task handlers: the paths that are hard to provoke with
// the real ones (a lock that never frees, bookkeeping that keeps failing) and how the recorded
// outcome becomes the execution's end. execution-*.test.ts run the same ASL with the real handlers.
import { describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../functions/adapters/step-functions.js';
import type { TaskHandler } from '../../local/step-functions/index.js';
import { ended, executionFakes, fakeHandler, sfnClient, statesEntered, stepFunctionsFor } from './harness.js';

const INPUT = {
  customer_id: 'customer-1',
  recommendation_id: 'rec-1',
  approval: { required: false, approval_id: null, timeout_seconds: 1 },
  execute_now: true,
};

let signal: (token: string) => Promise<unknown> = async () => undefined;

async function run(name: string, handlers: Record<string, TaskHandler>, meanwhile?: (fakes: any) => void) {
  const fakes = { ...executionFakes(), ...handlers };
  const stepFunctions = await stepFunctionsFor({ handlers: fakes });
  const workflow = new StepFunctionsWorkflow(stepFunctions.stateMachineArn, stepFunctions.endpoint);
  signal = (token) => workflow.completeTask(token, { state: 'retry' });
  const client = sfnClient(stepFunctions.endpoint);
  meanwhile?.(fakes);
  await workflow.start(name, INPUT);
  const arn = workflow.executionArn(name);
  const execution = await ended(client, arn);
  return { execution, states: await statesEntered(client, arn), fakes };
}

const _failing = (name: string, message: string) =>
  fakeHandler(() => {
    throw Object.assign(new Error(message), { name });
  });

describe('the execution half of the workflow (fake tasks)', () => {
  it('a dependency that did not complete cancels the plan before any lock is taken', async () => {
    const { execution, states, fakes } = await run('blocked', {
      'check-dependencies': fakeHandler(() => ({ state: 'blocked', blocked_by: 'rec-0', blocked_status: 'failed' })),
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(states.slice(-5)).toEqual([
      'Dependencies done?',
      'Dependency did not complete',
      'Record outcome',
      'Outcome?',
      'Cancelled',
    ]);
    expect(fakes['resource-locks'].events).toEqual([]);
    expect(fakes['record-outcome'].events).toEqual([
      { customer_id: 'customer-1', recommendation_id: 'rec-1', approval_id: null, outcome: 'cancelled' },
    ]);
  });

  it('busy resources: waits on a task token, and tries again when woken', async () => {
    let attempt = 0;
    const locks = fakeHandler((event) => {
      if (event.action !== 'acquire') return { held: 0 };
      attempt += 1;
      return attempt === 1
        ? { index: 0, timeout_seconds: 1, done: false, rollback: false, state: 'busy', wait_seconds: 30 }
        : { index: 0, timeout_seconds: 1, done: true, rollback: false };
    });
    const { execution, states, fakes } = await run('woken', { 'resource-locks': locks }, (fakes) => {
      void fakes['resource-locks']
        .next()
        .then(() => fakes['resource-locks'].next())
        .then((wait: { task_token: string }) => signal(wait.task_token));
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(states.slice(3, 8)).toEqual([
      'Acquire resource locks',
      'More steps?',
      'Wait for resources',
      'Acquire resource locks',
      'More steps?',
    ]);
    expect(fakes['resource-locks'].events.map((e) => e.action)).toEqual(['acquire', 'wait', 'acquire']);
    // The locks are released with the completion.
    expect(fakes['record-outcome'].events).toEqual([
      expect.objectContaining({ outcome: 'completed', release_locks: true }),
    ]);
  });

  it('busy past max_wait_seconds: records the plan failed without running or releasing anything', async () => {
    const gaveUp = fakeHandler(() => ({
      index: 0,
      timeout_seconds: 1,
      done: false,
      rollback: false,
      state: 'gave_up',
    }));
    const { execution, states, fakes } = await run('busy', { 'resource-locks': gaveUp });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'ExecutionFailed' });
    expect(gaveUp.events.map((e) => e.action)).toEqual(['acquire']);
    expect(states.slice(-6)).toEqual([
      'Acquire resource locks',
      'More steps?',
      'Resources stayed busy',
      'Record outcome',
      'Outcome?',
      'Failed',
    ]);
    expect(fakes['record-step'].events).toEqual([]);
    expect(fakes['record-outcome'].events.map((e) => e.outcome)).toEqual(['failed']);
  });

  it('bookkeeping that keeps failing stops the run at "Unexpected failure", still releasing the locks', async () => {
    // Acquiring also starts the plan (issue 7 §6): its bookkeeping failing is this task failing.
    const locks = fakeHandler((event) => {
      if (event.action === 'acquire') throw Object.assign(new Error('the table is gone'), { name: 'Error' });
      return { held: 0 };
    });
    const { execution, states, fakes } = await run('broken-bookkeeping', { 'resource-locks': locks });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'ExecutionFailed' });
    expect(states.slice(-6)).toEqual([
      'Acquire resource locks',
      'Unexpected failure',
      'Release locks',
      'Record outcome',
      'Outcome?',
      'Failed',
    ]);
    expect(fakes['resource-locks'].events.map((e) => e.action)).toEqual(['acquire', 'release']);
    expect(fakes['resource-locks'].events[1]).toEqual({
      customer_id: 'customer-1',
      recommendation_id: 'rec-1',
      action: 'release',
      execution_name: 'broken-bookkeeping',
    });
  });

  it.each([
    ['completed', 'SUCCEEDED', undefined, 'Completed'],
    ['cancelled', 'SUCCEEDED', undefined, 'Cancelled'],
    ['rolled_back', 'FAILED', 'RolledBack', 'Rolled back'],
    ['rollback_failed', 'FAILED', 'RollbackFailed', 'Rollback failed'],
    ['failed', 'FAILED', 'ExecutionFailed', 'Failed'],
  ])('ends a plan recorded %s as %s at its own state', async (outcome, status, error, last) => {
    // Through "Record outcome" (a path other than every step completing, which ends at "Completed" directly).
    const blocked = fakeHandler(() => ({ state: 'blocked', blocked_by: 'rec-0', blocked_status: 'failed' }));
    const { execution, states } = await run(`ends-${outcome}`, {
      'check-dependencies': blocked,
      'record-outcome': fakeHandler(() => ({ changed: true, outcome })),
    });
    expect(execution.status).toBe(status);
    expect(execution.error).toBe(error);
    expect(states.at(-1)).toBe(last);
  });
});
