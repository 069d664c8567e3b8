// "Wait for a dependency to end" on the real ASL: the dependent waits on a task token and is woken
// at once when signalled; the timeout is only a safety net, and its worst case (a dependency that
// never ends, waited for the full MAX_DEPENDENCY_WAIT_MS) fits Step Functions' 25,000-event history
// with a wide margin, computed from the ASL and from the events one round really writes.
import { describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../functions/adapters/step-functions.js';
import { MAX_DEPENDENCY_WAIT_MS } from '../../functions/core/use-cases/check-dependencies.js';
import { recommendationDefinition } from '../../local/step-functions/definition.js';
import { MAX_HISTORY_EVENTS } from '../../local/step-functions/limits.js';
import { ended, executionFakes, fakeHandler, sfnClient, stepFunctionsFor, until } from './harness.js';

const INPUT = {
  customer_id: 'customer-1',
  recommendation_id: 'rec-1',
  approval: { required: false, approval_id: null, timeout_seconds: 1 },
  execute_now: true,
};
const WAIT = 'Wait for a dependency to end';

type States = Record<string, { Type: string; TimeoutSeconds?: number; Next?: string; Default?: string }>;
const statesOf = (definition: unknown) => (definition as { States: States }).States;

/** check-dependencies: waiting for the first `rounds` checks, then ready; the waiting task's call only keeps its token. */
function dependencyFakes(rounds: number) {
  const tokens: string[] = [];
  let checks = 0;
  const check = fakeHandler((event: { task_token?: string }) => {
    if (event.task_token) {
      tokens.push(event.task_token);
      return { state: 'waiting', waiting_for: ['rec-0'] };
    }
    checks += 1;
    return checks > rounds ? { state: 'ready' } : { state: 'waiting', waiting_for: ['rec-0'] };
  });
  return { fakes: { ...executionFakes(), 'check-dependencies': check }, tokens };
}

describe('waiting for dependencies', () => {
  it('waits on a task token, and goes on at once when a dependency ends and signals it', async () => {
    const { fakes, tokens } = dependencyFakes(1);
    const stepFunctions = await stepFunctionsFor({ handlers: fakes });
    const workflow = new StepFunctionsWorkflow(stepFunctions.stateMachineArn, stepFunctions.endpoint);
    await workflow.start('signalled', INPUT);
    await until(
      async () => tokens.length,
      (n) => n === 1,
      'the waiting task to store its token',
    );
    expect(stepFunctions.executions.find(workflow.executionArn('signalled'))?.status).toBe('RUNNING');

    expect(await workflow.completeTask(tokens[0], { state: 'changed', dependency: 'rec-0' })).toBe('sent');
    const execution = await ended(sfnClient(stepFunctions.endpoint), workflow.executionArn('signalled'));
    expect(execution.status).toBe('SUCCEEDED');
    expect(fakes['record-outcome'].events.map((e: { outcome: string }) => e.outcome)).toEqual(['completed']);
  });

  it('a poll, as safety net only, fits the history quota with a wide margin over the longest wait', async () => {
    const asl = statesOf(recommendationDefinition());
    const timeout = asl[WAIT].TimeoutSeconds!;
    // Polling is the exception: at most one round an hour.
    expect(timeout).toBeGreaterThanOrEqual(3600);
    expect(asl[WAIT].Next).toBe('Wait for dependencies');
    expect(asl['Dependencies done?'].Default).toBe(WAIT);

    // One round as the engine writes it (AWS's events per state), with the timeout cut to 1 s.
    const quick = recommendationDefinition();
    statesOf(quick)[WAIT].TimeoutSeconds = 1;
    const { fakes } = dependencyFakes(2);
    const stepFunctions = await stepFunctionsFor({ definition: quick, handlers: fakes });
    const workflow = new StepFunctionsWorkflow(stepFunctions.stateMachineArn, stepFunctions.endpoint);
    await workflow.start('polling', INPUT);
    await ended(sfnClient(stepFunctions.endpoint), workflow.executionArn('polling'), 10_000);
    const history = stepFunctions.executions.find(workflow.executionArn('polling'))!.history;
    const checks = history.flatMap((event, i) =>
      (event.stateEnteredEventDetails as { name?: string } | undefined)?.name === 'Wait for dependencies' ? [i] : [],
    );
    expect(checks).toHaveLength(3);
    const perRound = checks[2] - checks[1];
    expect(history.slice(checks[1], checks[2]).map((e) => e.type)).toContain('TaskTimedOut');

    const rounds = Math.ceil(MAX_DEPENDENCY_WAIT_MS / 1000 / timeout) + 1;
    const worstCase = history.length + rounds * perRound;
    // A wide margin: the longest wait uses less than a quarter of the quota.
    expect(worstCase).toBeLessThan(MAX_HISTORY_EVENTS / 4);
  });
});
