// The policy's action_limits on DynamoDB Local: an action's slots are taken in the same transaction
// as the locks and the execution slot, all or nothing, and freed with them.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoResourceLocks } from '../../functions/adapters/resource-locks.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

let locks: DynamoResourceLocks;

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  ({ locks } = dynamoStores(endpoint, tableName));
});

const customer = () => `limits-${randomUUID().slice(0, 8)}`;
const spot = { action: 'migrate_to_spot', limit: 2 };

describe('action limits', () => {
  it('at most `limit` executions of the action hold a slot; the next is told why; a release frees one', async () => {
    const c = customer();
    expect(await locks.acquire(c, 'exec-a', ['i-a'], 10, spot)).toEqual({ acquired: true });
    expect(await locks.acquire(c, 'exec-b', ['i-b'], 10, spot)).toEqual({ acquired: true });
    // Holding again as the same holder takes no second slot.
    expect(await locks.acquire(c, 'exec-a', ['i-a'], 10, spot)).toEqual({ acquired: true });
    expect(await locks.acquire(c, 'exec-c', ['i-c'], 10, spot)).toEqual({
      acquired: false,
      reason: "the customer's limit of 2 concurrent migrate_to_spot executions is reached",
    });
    // Another action is not limited by it.
    expect(await locks.acquire(c, 'exec-d', ['i-d'], 10, { action: 'scale_down', limit: 1 })).toEqual({
      acquired: true,
    });

    await locks.release(c, 'exec-a', ['i-a'], 'migrate_to_spot');
    expect(await locks.acquire(c, 'exec-c', ['i-c'], 10, spot)).toEqual({ acquired: true });
  });

  it('all or nothing: refused for the action, it keeps no lock and no execution slot', async () => {
    const c = customer();
    await locks.acquire(c, 'exec-a', ['i-a'], 2, { action: 'migrate_to_spot', limit: 1 });
    expect((await locks.acquire(c, 'exec-b', ['i-b'], 2, { action: 'migrate_to_spot', limit: 1 })).acquired).toBe(
      false,
    );
    // i-b and the second execution slot are still free.
    expect(await locks.acquire(c, 'exec-c', ['i-b'], 2)).toEqual({ acquired: true });
  });

  it('the first transaction still fits 100 items with both slots: 250 resources are taken and freed', async () => {
    const c = customer();
    const many = Array.from({ length: 250 }, (_, i) => `r-${String(i).padStart(3, '0')}`);
    expect(await locks.acquire(c, 'exec-a', many, 10, spot)).toEqual({ acquired: true });
    expect((await locks.acquire(c, 'exec-b', [many[98]], 10)).acquired).toBe(false);
    await locks.release(c, 'exec-a', many, 'migrate_to_spot');
    expect(await locks.acquire(c, 'exec-b', many, 10, { ...spot, limit: 1 })).toEqual({ acquired: true });
  });
});
