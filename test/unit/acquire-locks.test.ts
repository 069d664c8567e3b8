// "Acquire resource locks" reads the recommendation and the policy once per invocation, whichever way
// it ends before the plan starts: expired, held (paused) or busy.
import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../functions/core/model/records.js';
import { acquireAndStart } from '../../functions/core/use-cases/acquire-locks.js';
import type { LockDeps } from '../../functions/core/use-cases/plan-tasks.js';
import { NOW } from './fixtures.js';
import {
  CUSTOMER,
  fixedClock,
  memoryPauseQueue,
  memoryPolicies,
  memoryRecommendations,
  storedRec,
} from './in-memory-ports.js';

const input = { customer_id: CUSTOMER, recommendation_id: 'rec-1', execution_name: 'exec-1' };

function ports(rec: Recommendation, policy: Parameters<typeof memoryPolicies>[0]) {
  const recommendations = memoryRecommendations([rec]);
  const policies = memoryPolicies(policy);
  const left: string[][] = [];
  const history: string[] = [];
  const queue = memoryPauseQueue([]);
  const deps = {
    recommendations,
    policies,
    plans: {
      appendHistory: async (_c: string, _id: string, entry: { reason: string }) => void history.push(entry.reason),
    },
    workflow: queue.workflow,
    lockWaiters: {
      ...queue.lockWaiters,
      leave: async (_c: string, _id: string, resources: readonly string[]) => void left.push([...resources]),
    },
    locks: {
      acquire: async () => ({ acquired: false, reason: 'vol-1 is held by rec-0' }),
      release: async () => {},
    },
    clock: fixedClock(),
  } as unknown as LockDeps;
  return { deps, recommendations, policies, left, history };
}

const reads = (p: ReturnType<typeof ports>) => [p.recommendations.calls.getRecommendations, p.policies.calls.getPolicy];

describe('acquireAndStart', () => {
  it('busy: says why it waits, and waits what is left of max_wait_seconds', async () => {
    const p = ports(storedRec('rec-1', 'approved', { affected_resources: ['vol-1'] }), { max_wait_seconds: 900 });
    const cursor = await acquireAndStart(input, p.deps);
    expect(cursor).toMatchObject({ state: 'busy', wait_seconds: 900 });
    expect(p.recommendations.byId.get('rec-1')?.status).toBe('waiting_resources');
    expect(reads(p)).toEqual([1, 1]);
  });

  it('busy past max_wait_seconds: gives up and leaves its queues', async () => {
    const since = new Date(NOW.getTime() - 1000_000).toISOString();
    const rec = storedRec('rec-1', 'waiting_resources', {
      affected_resources: ['vol-1'],
      history: [{ status: 'waiting_resources', reason: 'waiting for resources: vol-1 is held by rec-0', at: since }],
    });
    const p = ports(rec, { max_wait_seconds: 900 });
    expect(await acquireAndStart(input, p.deps)).toMatchObject({ state: 'gave_up' });
    expect(p.left).toEqual([['vol-1', '#slot', '#action:optimize']]);
    expect(reads(p)).toEqual([1, 1]);
  });

  it('paused: held before any lock', async () => {
    const p = ports(storedRec('rec-1', 'approved'), { paused: true });
    expect(await acquireAndStart(input, p.deps)).toMatchObject({ state: 'paused', hold: true });
    expect(p.history).toHaveLength(1);
    expect(reads(p)).toEqual([1, 1]);
  });

  it('expired: does not start, and leaves its queues', async () => {
    const rec = storedRec('rec-1', 'approved', { expires_at: new Date(NOW.getTime() - 1000).toISOString() });
    const p = ports(rec, {});
    expect(await acquireAndStart(input, p.deps)).toMatchObject({ state: 'expired' });
    expect(p.left).toHaveLength(1);
    expect(reads(p)[0]).toBe(1);
  });
});
