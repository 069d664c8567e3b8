// DynamoResourceLocks on DynamoDB Local: one holder per resource, re-entrant for the same holder,
// freed on release, all-or-nothing, and a customer's max_concurrent_executions honoured.
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

const customer = () => `locks-${randomUUID().slice(0, 8)}`;

describe('resource locks', () => {
  it('refuses a second holder of a resource, naming the holder; the same holder may acquire again; release frees it', async () => {
    const c = customer();
    expect(await locks.acquire(c, 'exec-a', ['i-1', 'i-2'], 10)).toEqual({ acquired: true });
    expect(await locks.acquire(c, 'exec-b', ['i-2', 'i-3'], 10)).toEqual({
      acquired: false,
      reason: 'resources busy: i-2 (held by exec-a)',
    });
    expect(await locks.acquire(c, 'exec-a', ['i-1', 'i-2'], 10)).toEqual({ acquired: true });

    await locks.release(c, 'exec-a', ['i-1', 'i-2']);
    expect(await locks.acquire(c, 'exec-b', ['i-2', 'i-3'], 10)).toEqual({ acquired: true });
  });

  it('takes all the resources or none: a refused holder keeps nothing', async () => {
    const c = customer();
    await locks.acquire(c, 'exec-a', ['i-2'], 10);
    expect((await locks.acquire(c, 'exec-b', ['i-1', 'i-2'], 10)).acquired).toBe(false);
    expect(await locks.acquire(c, 'exec-c', ['i-1'], 10)).toEqual({ acquired: true });
  });

  it('a release by another holder frees nothing', async () => {
    const c = customer();
    await locks.acquire(c, 'exec-a', ['i-1'], 10);
    await locks.release(c, 'exec-b', ['i-1']);
    expect((await locks.acquire(c, 'exec-b', ['i-1'], 10)).acquired).toBe(false);
  });

  it('locks are per customer', async () => {
    await locks.acquire(customer(), 'exec-a', ['i-1'], 10);
    expect(await locks.acquire(customer(), 'exec-b', ['i-1'], 10)).toEqual({ acquired: true });
  });

  it("honours the customer's max_concurrent_executions, counting the holder once, and frees a slot on release", async () => {
    const c = customer();
    expect(await locks.acquire(c, 'exec-a', ['i-1'], 2)).toEqual({ acquired: true });
    expect(await locks.acquire(c, 'exec-b', [], 2)).toEqual({ acquired: true });
    expect(await locks.acquire(c, 'exec-c', ['i-3'], 2)).toEqual({
      acquired: false,
      reason: "the customer's maximum of concurrent executions is reached",
    });
    expect(await locks.acquire(c, 'exec-a', ['i-1'], 2)).toEqual({ acquired: true });

    await locks.release(c, 'exec-b', []);
    expect(await locks.acquire(c, 'exec-c', ['i-3'], 2)).toEqual({ acquired: true });
  });

  it('of holders racing for one resource, never more than one wins; the others are told why', async () => {
    const c = customer();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => locks.acquire(c, `exec-${i}`, ['i-hot'], 100)),
    );
    expect(results.filter((r) => r.acquired).length).toBeLessThanOrEqual(1);
    for (const result of results)
      if (!result.acquired)
        expect(result.reason).toMatch(
          /^(resources busy: i-hot \(held by exec-\d\)|lock contention for exec-\d; retry)$/,
        );
  });

  it('locks more resources than one transaction holds, and releases them all', async () => {
    const c = customer();
    const many = Array.from({ length: 150 }, (_, i) => `i-${String(i).padStart(3, '0')}`);
    expect(await locks.acquire(c, 'exec-a', many, 10)).toEqual({ acquired: true });
    expect(await locks.acquire(c, 'exec-b', ['i-149'], 10)).toEqual({
      acquired: false,
      reason: 'resources busy: i-149 (held by exec-a)',
    });
    await locks.release(c, 'exec-a', many);
    expect(await locks.acquire(c, 'exec-b', many, 10)).toEqual({ acquired: true });
  });

  it('a holder refused in a later chunk gives back the chunks it took', async () => {
    const c = customer();
    const many = Array.from({ length: 150 }, (_, i) => `i-${String(i).padStart(3, '0')}`);
    await locks.acquire(c, 'exec-a', ['i-120'], 10);
    expect(await locks.acquire(c, 'exec-b', many, 10)).toEqual({
      acquired: false,
      reason: 'resources busy: i-120 (held by exec-a)',
    });
    // exec-b holds neither i-000 nor an execution slot.
    expect(await locks.acquire(c, 'exec-c', ['i-000'], 2)).toEqual({ acquired: true });
    expect(await locks.acquire(c, 'exec-d', ['i-001'], 3)).toEqual({ acquired: true });
  });
});
