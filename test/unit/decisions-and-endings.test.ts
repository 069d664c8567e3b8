// Deciding an approval counts the decision where it is decided (once, whichever route decided), and
// what an early ending takes with it (its dependents, then a second chance for its losers) takes the
// customer's lease only when someone depends on it.
import { describe, expect, it } from 'vitest';
import type { CoordinationPorts } from '../../functions/core/ports/coordination.js';
import { recordingMetrics } from '../../functions/core/ports/metrics.js';
import { cancelDependents, followEndedEarly } from '../../functions/core/use-cases/cancel-dependents.js';
import { decide } from '../../functions/core/use-cases/decide-approval.js';
import {
  CUSTOMER,
  fixedClock,
  memoryApprovals,
  memoryPauseQueue,
  memoryPolicies,
  memoryRecommendations,
  pendingApproval,
  storedRec,
} from './in-memory-ports.js';

function ports(recs = [storedRec('rec-1', 'pending_approval', { approval_id: 'apr_1' })], required = 1) {
  const recommendations = memoryRecommendations(recs);
  const policies = memoryPolicies();
  const deps = {
    recommendations,
    approvals: memoryApprovals([pendingApproval(required)]),
    policies,
    workflow: memoryPauseQueue([]).workflow,
    reconcile: { repairs: async () => 0 },
    clock: fixedClock(),
    ids: { next: (prefix: string) => `${prefix}1` },
  } as unknown as CoordinationPorts;
  return { deps, recommendations, policies };
}

const approver = { id: 'apv_1', email: 'alice@example.com' };
const decision = (verdict: 'approve' | 'reject') => ({
  customerId: CUSTOMER,
  approvalId: 'apr_1',
  approver,
  decision: verdict,
  via: 'api' as const,
});

describe('decide counts what it decided', () => {
  it('an approval that reaches its quorum: approved, and the time it took', async () => {
    const metrics = recordingMetrics();
    const result = await decide(decision('approve'), { ...ports().deps, metrics });
    expect(result.effect).toBe('approved');
    expect(metrics.points).toEqual([
      { name: 'Approvals', value: 1, dimension: 'approved', at: undefined },
      { name: 'ApprovalDecisionTime', value: expect.any(Number), dimension: undefined },
    ]);
    expect(metrics.points[1].value).toBeGreaterThan(0);
  });

  it('a rejection: rejected, the time, and a rejected recommendation', async () => {
    const metrics = recordingMetrics();
    await decide(decision('reject'), { ...ports().deps, metrics });
    expect(metrics.points.map((p) => [p.name, p.dimension])).toEqual([
      ['Approvals', 'rejected'],
      ['ApprovalDecisionTime', undefined],
      ['Recommendations', 'rejected'],
    ]);
  });

  it('a vote short of the quorum counts nothing, and neither does the same vote again', async () => {
    const metrics = recordingMetrics();
    const { deps } = ports(undefined, 2);
    expect((await decide(decision('approve'), { ...deps, metrics })).effect).toBe('vote_recorded');
    expect((await decide(decision('approve'), { ...deps, metrics })).effect).toBe('already_voted');
    expect(metrics.points).toEqual([]);
  });

  it('a rejection with no dependents takes the lease only for the losers’ second chance', async () => {
    const { deps, recommendations } = ports();
    await decide(decision('reject'), deps);
    expect(recommendations.calls.lockCustomer).toBe(1);
  });
});

describe('what follows an early ending', () => {
  const ended = [{ id: 'A', how: 'was rejected by alice' }];

  it('no dependents: no lease, nothing cancelled', async () => {
    const { deps, recommendations } = ports([storedRec('A', 'rejected'), storedRec('U', 'approved')]);
    expect(await cancelDependents(CUSTOMER, ended, deps)).toEqual([]);
    expect(recommendations.calls.lockCustomer).toBe(0);
    expect(recommendations.calls.saved).toEqual([]);
  });

  it('a dependent: cancelled under the lease, with the true reason', async () => {
    const { deps, recommendations } = ports([
      storedRec('A', 'rejected'),
      storedRec('D', 'approved', { dependencies: ['A'] }),
    ]);
    expect(await cancelDependents(CUSTOMER, ended, deps)).toEqual(['D']);
    expect(recommendations.calls.lockCustomer).toBeGreaterThanOrEqual(1);
    expect(recommendations.byId.get('D')).toMatchObject({ status: 'cancelled' });
    expect(recommendations.byId.get('D')?.history.at(-1)?.reason).toBe('dependency A was rejected by alice');
  });

  it("the caller's fresh read of the active set spares the read before the lease", async () => {
    const { deps, recommendations } = ports([storedRec('A', 'rejected')]);
    await cancelDependents(CUSTOMER, ended, deps, []);
    expect(recommendations.calls.listActive).toBe(0);
    expect(recommendations.calls.lockCustomer).toBe(0);
  });

  it('losers are judged again by default, not when the ended one had run', async () => {
    const first = ports([storedRec('A', 'rejected')]);
    await followEndedEarly(CUSTOMER, { ended }, first.deps);
    expect(first.policies.calls.getPolicy).toBe(1);
    const ran = ports([storedRec('A', 'failed')]);
    await followEndedEarly(CUSTOMER, { ended, revive: [] }, ran.deps);
    expect(ran.policies.calls.getPolicy).toBe(0);
  });
});
