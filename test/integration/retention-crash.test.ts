// Retention after a crash, on DynamoDB Local (life17 gap 3): the write that ends a recommendation
// stamps its TTL; its approval, plan and step results get the same TTL just after. A writer that dies
// between the two leaves them without one, for ever, unless the reconciler finishes the job.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { dynamoStores as storesOn } from '../../functions/adapters/stores.js';
import { systemClock } from '../../functions/adapters/system-clock.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { decide } from '../../functions/core/use-cases/decide-approval.js';
import { reconcile } from '../../functions/core/use-cases/reconcile.js';
import { recordOutcome } from '../../functions/core/use-cases/record-outcome.js';
import { recordStep } from '../../functions/core/use-cases/record-step.js';
import { rec, seed } from '../support/fixtures.js';
import { partitionItems } from '../support/partition.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { freshTable } from '../support/table.js';

type Db = ReturnType<typeof documentClient>;
let db: Db;
let table: string;

/** The use cases' ports on `client`. */
const portsOn = (client: Db) => ({
  ...storesOn({ db: client, table, clock: systemClock }),
  workflow: new RecordingWorkflow(),
  notifier: new RecordingNotifier(),
  clock: systemClock,
  ids: { next: newId },
});
let deps: ReturnType<typeof portsOn>;

/**
 * The table's client, except that the process "dies" when retention goes to read what belongs to the
 * recommendation it just ended: the write that ended it landed, nothing after it did.
 */
function dyingAfterTheEnd(): Db {
  return new Proxy(db, {
    get(target, name, receiver) {
      if (name !== 'send') return Reflect.get(target, name, receiver);
      return (command: unknown) => {
        if (command instanceof GetCommand && command.input.ProjectionExpression?.includes('plan_id'))
          return Promise.reject(new Error('the function died'));
        return target.send(command as never);
      };
    },
  });
}

beforeAll(async () => {
  const t = await freshTable();
  table = t.tableName;
  db = documentClient({ endpoint: t.endpoint });
  deps = portsOn(db);
});

const items = (customerId: string) => partitionItems(db, table, customerId);

const reconcileNow = (minAgeMs = 0) => reconcile(deps, { minAgeMs });

describe('retention finished by the reconciler after a crash', () => {
  it('a plan that completed: its plan and step result get the TTL the dead writer did not stamp', async () => {
    const c = `crash-${randomUUID().slice(0, 8)}`;
    await coordinate(
      CoordinateRequest.parse({
        customer_id: c,
        recommendations: [rec({ id: 'ran', affected_resources: ['i-1'] })],
        auto_approve: true,
        execute_now: true,
      }),
      deps,
    );
    const ids = { customer_id: c, recommendation_id: 'ran' };
    await recordStep({ ...ids, event: 'start' }, deps);
    await recordStep({ ...ids, event: 'completed', step_index: 0, outcome: { result: { ok: true } } }, deps);
    await expect(
      recordOutcome({ ...ids, approval_id: null, outcome: 'completed' }, portsOn(dyingAfterTheEnd())),
    ).rejects.toThrow('the function died');

    const [ended] = await deps.recommendations.getRecommendations(c, ['ran']);
    expect(ended.status).toBe('completed');
    const plan = keys.plan(ended.plan_id!);
    const step = keys.planStep(ended.plan_id!, 0);
    let stored = await items(c);
    const ttl = stored[keys.recommendation('ran')].ttl;
    expect(ttl).toEqual(expect.any(Number));
    expect([stored[plan].ttl, stored[step].ttl]).toEqual([undefined, undefined]);

    // A pass that leaves recent changes alone does not touch it yet.
    await reconcileNow(3_600_000);
    expect((await items(c))[plan].ttl).toBeUndefined();

    await reconcileNow();
    stored = await items(c);
    expect([stored[plan].ttl, stored[step].ttl]).toEqual([ttl, ttl]);
    expect(stored[keys.recommendation('ran')].related_ttl_pending).toBeUndefined();
    // The mark is internal: never part of what the API shows.
    expect(Object.keys(ended)).not.toContain('related_ttl_pending');
  });

  it('a rejection: its approval with the votes gets the TTL; a normal end leaves nothing pending', async () => {
    const c = `crash-${randomUUID().slice(0, 8)}`;
    const result = await coordinate(CoordinateRequest.parse(seed.test2(c)), deps);
    const approvalId = result.approvals[0].id;
    const reject = {
      customerId: c,
      approvalId,
      approver: { id: 'ap-1', email: 'ops@example.com' },
      decision: 'reject' as const,
      reason: 'not now',
      via: 'api' as const,
    };
    await expect(decide(reject, portsOn(dyingAfterTheEnd()))).rejects.toThrow('the function died');
    let stored = await items(c);
    const ttl = stored[keys.recommendation('rec-003')].ttl;
    expect(ttl).toEqual(expect.any(Number));
    expect(stored[keys.approval(approvalId)].ttl).toBeUndefined();

    await reconcileNow();
    stored = await items(c);
    expect(stored[keys.approval(approvalId)].ttl).toBe(ttl);
    expect(stored[keys.recommendation('rec-003')].related_ttl_pending).toBeUndefined();
    // rec-004 ended discarded at coordinate time and nothing died: never marked pending.
    expect(stored[keys.recommendation('rec-004')].related_ttl_pending).toBeUndefined();
  });
});
