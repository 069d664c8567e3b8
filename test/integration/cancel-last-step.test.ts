// A cancel racing the last step, on DynamoDB Local (life17 gap 1): the answer the caller gets is the
// way the recommendation ends, in either order of the two writes. The interleavings are driven, not
// timed: the cancel is sent from inside the step bookkeeping, right after it read the recommendation.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCancelRequests } from '../../functions/adapters/cancellation.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { dynamoStores as storesOn } from '../../functions/adapters/stores.js';
import { systemClock } from '../../functions/adapters/system-clock.js';
import { StateConflict } from '../../functions/core/model/errors.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import type { RecommendationStore } from '../../functions/core/ports/index.js';
import { cancelRecommendation } from '../../functions/core/use-cases/cancel-recommendation.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { recordOutcome } from '../../functions/core/use-cases/record-outcome.js';
import { recordStep } from '../../functions/core/use-cases/record-step.js';
import { rec } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { freshTable } from '../support/table.js';

let deps: ReturnType<typeof portsOn>;

function portsOn(db: ReturnType<typeof documentClient>, table: string) {
  return {
    ...storesOn({ db, table, clock: systemClock }),
    cancels: new DynamoCancelRequests(db, table),
    workflow: new RecordingWorkflow(),
    notifier: new RecordingNotifier(),
    clock: systemClock,
    ids: { next: newId },
  };
}

beforeAll(async () => {
  const t = await freshTable();
  deps = portsOn(documentClient({ endpoint: t.endpoint }), t.tableName);
});

/** A fresh customer's one-step plan, started: executing, its only step in hand. */
async function executingOneStep() {
  const c = `race-${randomUUID().slice(0, 8)}`;
  const request = CoordinateRequest.parse({
    customer_id: c,
    recommendations: [rec({ id: 'last', affected_resources: ['i-1'] })],
    auto_approve: true,
    execute_now: true,
  });
  await coordinate(request, deps);
  const ids = { customer_id: c, recommendation_id: 'last' };
  await recordStep({ ...ids, event: 'start' }, deps);
  return ids;
}

const cancel = (ids: { customer_id: string; recommendation_id: string }) =>
  cancelRecommendation({ ...ids, reason: 'decommissioned', principal: { role: 'admin' } }, deps);

const lastStepCompleted = (
  ids: { customer_id: string; recommendation_id: string },
  recommendations: RecommendationStore = deps.recommendations,
) =>
  recordStep(
    { ...ids, event: 'completed', step_index: 0, outcome: { result: { ok: true } } },
    { ...deps, recommendations },
  );

/** The store, except that the first read of the recommendation is followed by `then` (before the caller goes on). */
function afterFirstRead(then: () => Promise<unknown>): RecommendationStore {
  let fired = false;
  return new Proxy(deps.recommendations, {
    get(target, name, receiver) {
      if (name !== 'getRecommendations') return Reflect.get(target, name, receiver);
      return async (...args: Parameters<RecommendationStore['getRecommendations']>) => {
        const read = await target.getRecommendations(...args);
        if (!fired) {
          fired = true;
          await then();
        }
        return read;
      };
    },
  });
}

async function statusOf(ids: { customer_id: string; recommendation_id: string }) {
  const [found] = await deps.recommendations.getRecommendations(ids.customer_id, [ids.recommendation_id]);
  return found;
}

/** The rest of the run after the rollback cursor: nothing reversible to undo, locks released, outcome recorded. */
async function rollBackAndRecord(ids: { customer_id: string; recommendation_id: string }) {
  expect(await recordStep({ ...ids, event: 'plan_rollback' }, deps)).toMatchObject({ done: true });
  return recordOutcome({ ...ids, approval_id: null, outcome: 'rolled_back' }, deps);
}

describe('a cancel racing the last step', () => {
  it('cancel first, though the bookkeeping read the recommendation before it: 202, and it ends cancelled', async () => {
    const ids = await executingOneStep();
    let answer: Awaited<ReturnType<typeof cancel>> | undefined;
    const cursor = await lastStepCompleted(
      ids,
      afterFirstRead(async () => {
        answer = await cancel(ids);
      }),
    );
    expect(answer).toMatchObject({ status: 'executing', cancel_requested: { by: 'the admin key' } });
    // The cancel landed after the read and before the run passed its last step: it rolls back, not done.
    expect(cursor).toMatchObject({ done: false, rollback: true });
    expect(await rollBackAndRecord(ids)).toMatchObject({ outcome: 'cancelled' });
    const ended = await statusOf(ids);
    expect(ended.status).toBe('cancelled');
    expect(ended.status_reason).toMatch(/^cancelled by the admin key: decommissioned/);
  });

  it('last step passed first: the cancel is refused with 409 and it ends completed, as the refusal says', async () => {
    const ids = await executingOneStep();
    expect(await lastStepCompleted(ids)).toMatchObject({ done: true, rollback: false });
    const refused = await cancel(ids).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StateConflict);
    expect((refused as Error).message).toBe(
      'recommendation last: its last step has completed; it is finishing as completed',
    );
    expect((await statusOf(ids)).cancel_requested).toBeUndefined();
    await recordOutcome({ ...ids, approval_id: null, outcome: 'completed' }, deps);
    expect((await statusOf(ids)).status).toBe('completed');
  });

  it('the cancel lands between the run passing its last step and the outcome: still refused, still completed', async () => {
    const ids = await executingOneStep();
    await lastStepCompleted(ids);
    // A retry of the same bookkeeping (the Lambda retried) keeps the first answer and the mark.
    expect(await lastStepCompleted(ids)).toMatchObject({ done: true });
    await expect(cancel(ids)).rejects.toBeInstanceOf(StateConflict);
    const ended = await recordOutcome({ ...ids, approval_id: null, outcome: 'completed' }, deps);
    expect(ended).toMatchObject({ outcome: 'completed', changed: true });
  });

  it('a cancel before the last step: the bookkeeping sees it and the run rolls back', async () => {
    const ids = await executingOneStep();
    await expect(cancel(ids)).resolves.toMatchObject({ status: 'executing' });
    expect(await lastStepCompleted(ids)).toMatchObject({ done: false, rollback: true });
    expect(await rollBackAndRecord(ids)).toMatchObject({ outcome: 'cancelled' });
  });
});
