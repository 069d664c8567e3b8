// The lock wait queues on DynamoDB Local: first come, first served per resource and for the slot,
// one plan woken per freed resource, a plan whose wait already ended skipped for the next in line.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { DynamoLockWaiters } from '../../functions/adapters/lock-waiters.js';
import type { Signal } from '../../functions/core/ports/workflow.js';
import { SLOT_QUEUE, waitingSince } from '../../functions/core/rules/resource-queues.js';
import { wakeWaiters } from '../../functions/core/use-cases/resource-locks.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { freshTable } from '../support/table.js';

let waiters: DynamoLockWaiters;
beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  waiters = new DynamoLockWaiters(documentClient({ endpoint }), tableName);
});

/** A workflow whose tasks for `closed` tokens have already ended. */
class Workflow extends RecordingWorkflow {
  constructor(private readonly closed: string[] = []) {
    super();
  }
  override async completeTask(token: string, output: Record<string, unknown>): Promise<Signal> {
    await super.completeTask(token, output);
    return this.closed.includes(token) ? 'already_closed' : 'sent';
  }
}

const waiter = (resource: string, id: string, since: string) => ({
  resource,
  recommendation_id: id,
  since,
  task_token: `token-${id}`,
});

describe('lock wait queues', () => {
  it('wakes the longest-waiting plan of the freed resource and of the slot queue, once each', async () => {
    const customer = `lw-${randomUUID().slice(0, 8)}`;
    await waiters.add(customer, waiter('db-1', 'late', '2026-01-01T00:00:05Z'));
    await waiters.add(customer, waiter('db-1', 'early', '2026-01-01T00:00:01Z'));
    await waiters.add(customer, waiter(SLOT_QUEUE, 'slot-first', '2026-01-01T00:00:00Z'));
    await waiters.add(customer, waiter(SLOT_QUEUE, 'early', '2026-01-01T00:00:01Z'));
    const workflow = new Workflow();

    expect(await wakeWaiters(customer, ['db-1'], { lockWaiters: waiters, workflow })).toBe(2);
    expect(workflow.signals.map((s) => s.token)).toEqual(['token-early', 'token-slot-first']);
    expect((await waiters.queue(customer, 'db-1')).map((w) => w.recommendation_id)).toEqual(['late']);
  });

  it('skips a waiter whose task already ended and wakes the next in line', async () => {
    const customer = `lw-${randomUUID().slice(0, 8)}`;
    await waiters.add(customer, waiter('vol-1', 'gone', '2026-01-01T00:00:01Z'));
    await waiters.add(customer, waiter('vol-1', 'next', '2026-01-01T00:00:02Z'));
    const workflow = new Workflow(['token-gone']);
    await wakeWaiters(customer, ['vol-1'], { lockWaiters: waiters, workflow });
    expect(workflow.signals.map((s) => s.token)).toEqual(['token-gone', 'token-next']);
    expect(await waiters.queue(customer, 'vol-1')).toEqual([]);
  });

  it("keeps a plan's place: it waits since the start of its latest run of waiting_resources entries", () => {
    const at = (s: number) => `2026-01-01T00:00:0${s}Z`;
    const history = [
      { status: 'approved', reason: '', at: at(0) },
      { status: 'waiting_resources', reason: 'a', at: at(1) },
      { status: 'waiting_resources', reason: 'b', at: at(2) },
    ] as never;
    expect(waitingSince({ history }, new Date())).toBe(at(1));
    expect(
      waitingSince(
        { history: [{ status: 'approved', reason: '', at: at(0) }] as never },
        new Date('2026-02-02T00:00:00Z'),
      ),
    ).toBe('2026-02-02T00:00:00.000Z');
  });
});
