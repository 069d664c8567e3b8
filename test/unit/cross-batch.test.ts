// Newcomers against the customer's active recommendations: executing ones never move; pending
// ones are ranked and superseded when they lose; active pairs were settled long ago.
import { describe, expect, it } from 'vitest';
import { resolveConflicts } from '../../functions/core/rules/resolution.js';
import { active, input, rec, statuses } from './fixtures.js';

describe('cross-batch resolution', () => {
  it('an executing recommendation always wins, however well the newcomer ranks', () => {
    const running = active('running', 'executing', { priority: 1, affected_resources: ['db-1'] });
    const result = resolveConflicts(
      input([rec('newcomer', { priority: 100, estimated_savings: 1e6, affected_resources: ['db-1'] })], {
        active: [running],
      }),
    );
    expect(result.outcomes.get('running')?.status).toBe('kept');
    expect(result.outcomes.get('newcomer')).toMatchObject({ status: 'discarded', by: 'running' });
    expect(result.kept).toEqual([]);
    expect(result.conflicts[0].resolution).toBe(
      'Kept recommendation running (priority: 1, savings: 0.00), discarded newcomer',
    );
  });

  it.each(['pending_approval', 'approved', 'waiting_dependencies'] as const)(
    'a %s recommendation outranked by a newcomer is superseded by it',
    (status) => {
      const old = active('old', status, { priority: 3, affected_resources: ['db-1'] });
      const result = resolveConflicts(
        input([rec('newcomer', { priority: 7, affected_resources: ['db-1', 'db-2'] })], { active: [old] }),
      );
      expect(result.outcomes.get('old')).toMatchObject({ status: 'superseded', by: 'newcomer' });
      expect(result.outcomes.get('old')?.reason).toBe('superseded in favour of newcomer (priority 7, savings 0.00)');
      expect(result.kept).toEqual(['newcomer']);
      expect(result.conflicts[0].resolution).toBe(
        'Kept recommendation newcomer (priority: 7, savings: 0.00), superseded old',
      );
    },
  );

  it('a pending recommendation that outranks the newcomer stays, and the newcomer is discarded', () => {
    const old = active('old', 'pending_approval', { priority: 9, affected_resources: ['db-1'] });
    expect(statuses([rec('newcomer', { priority: 2, affected_resources: ['db-1'] })], { active: [old] })).toEqual({
      newcomer: 'discarded',
      old: 'kept',
    });
  });

  it('pairs of active recommendations are never reported, and both stay', () => {
    const a = active('a', 'pending_approval', { action: 'scale_up', affected_resources: ['c'] });
    const b = active('b', 'executing', { action: 'scale_down', affected_resources: ['c'] });
    const result = resolveConflicts(
      input([rec('unrelated', { affected_resources: ['elsewhere'] })], { active: [a, b] }),
    );
    expect(result.conflicts).toEqual([]);
    expect([...result.outcomes.values()].map((o) => o.status)).toEqual(['kept', 'kept', 'kept']);
  });

  it('a newcomer that cannot run (its dependency lost) does not supersede anything', () => {
    const old = active('old', 'pending_approval', { priority: 1, affected_resources: ['db-1'] });
    const result = statuses(
      [
        rec('winner', { priority: 9, affected_resources: ['x'] }),
        rec('loser', { priority: 5, affected_resources: ['x'] }),
        rec('newcomer', { priority: 8, affected_resources: ['db-1'], dependencies: ['loser'] }),
      ],
      { active: [old] },
    );
    expect(result).toEqual({ winner: 'kept', loser: 'discarded', newcomer: 'cancelled', old: 'kept' });
  });

  it('a newcomer losing to an executing one frees a pending one it outranked', () => {
    const running = active('running', 'executing', { affected_resources: ['a'] });
    const pending = active('pending', 'pending_approval', { priority: 1, affected_resources: ['b'] });
    const result = statuses([rec('newcomer', { priority: 9, affected_resources: ['a', 'b'] })], {
      active: [running, pending],
    });
    expect(result).toEqual({ newcomer: 'discarded', running: 'kept', pending: 'kept' });
  });
});
