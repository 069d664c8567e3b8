// Issue 13 §1/§4 on the real ASL with fake tasks: a plan that expires before it starts (its
// expires_at passed at the last check, or the reconciler fails its idle wait with Expired) ends at
// "Expired" after recording it; no path ends without recording the outcome.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../functions/adapters/step-functions.js';
import { PolicyInput } from '../../functions/core/model/inputs.js';
import { ended, executionFakes, fakeHandler, sfnClient, statesEntered, stepFunctionsFor, until } from './harness.js';

const INPUT = {
  customer_id: 'customer-1',
  recommendation_id: 'rec-1',
  approval: { required: false, approval_id: null, timeout_seconds: 1 },
};

async function start(name: string, executeNow: boolean, handlers: Record<string, ReturnType<typeof fakeHandler>> = {}) {
  const fakes = { ...executionFakes(), ...handlers };
  const stepFunctions = await stepFunctionsFor({ handlers: fakes });
  const workflow = new StepFunctionsWorkflow(stepFunctions.stateMachineArn, stepFunctions.endpoint);
  await workflow.start(name, { ...INPUT, execute_now: executeNow });
  return { fakes, workflow, client: sfnClient(stepFunctions.endpoint), arn: workflow.executionArn(name) };
}

describe('expiry before the plan starts', () => {
  it('never times out the wait for an execution request before the longest execute_within_seconds a policy may set', () => {
    const asl = JSON.parse(
      readFileSync(new URL('../../statemachines/recommendation.asl.json', import.meta.url), 'utf8'),
    );
    const longest = PolicyInput.shape.execute_within_seconds.unwrap().maxValue as number;
    expect(longest).toBeGreaterThan(30 * 86_400);
    expect(asl.States['Wait for execution request'].TimeoutSeconds).toBeGreaterThanOrEqual(longest);
  });

  it('an idle approved plan failed with Expired records expired_before_run and ends at "Expired"', async () => {
    const { fakes, workflow, client, arn } = await start('idle', false);
    const { task_token } = await fakes['await-execution'].next();
    expect(await workflow.failTask(task_token, 'Expired', 'not executed within 604800 s')).toBe('sent');
    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
    expect(await statesEntered(client, arn)).toEqual([
      'Needs approval?',
      'Wait for execution request',
      'Expired before running',
      'Expired',
    ]);
    expect(fakes['record-outcome'].events).toEqual([
      { customer_id: 'customer-1', recommendation_id: 'rec-1', approval_id: null, outcome: 'expired_before_run' },
    ]);
    expect(fakes['resource-locks'].events).toEqual([]);
  });

  it('a recommendation past its expires_at at the last check before the locks never takes them', async () => {
    const { fakes, client, arn } = await start('late', true, {
      'check-dependencies': fakeHandler(() => ({ state: 'expired' })),
    });
    await until(
      async () => (await ended(client, arn)).status,
      (s) => s === 'SUCCEEDED',
      'the execution to end',
    );
    expect((await statesEntered(client, arn)).slice(-3)).toEqual([
      'Dependencies done?',
      'Expired before running',
      'Expired',
    ]);
    expect(fakes['record-outcome'].events.map((e: { outcome: string }) => e.outcome)).toEqual(['expired_before_run']);
    expect(fakes['resource-locks'].events).toEqual([]);
  });

  it('a plan woken from its wait for resources after its expires_at does not start', async () => {
    const expired = fakeHandler((event) =>
      event.action === 'acquire'
        ? { index: 0, timeout_seconds: 1, done: false, rollback: false, state: 'expired' }
        : { held: 0 },
    );
    const { fakes, client, arn } = await start('woken-late', true, { 'resource-locks': expired });
    expect((await ended(client, arn)).status).toBe('SUCCEEDED');
    expect((await statesEntered(client, arn)).slice(-4)).toEqual([
      'Acquire resource locks',
      'More steps?',
      'Expired before running',
      'Expired',
    ]);
    expect(fakes['record-outcome'].events.map((e: { outcome: string }) => e.outcome)).toEqual(['expired_before_run']);
  });
});
