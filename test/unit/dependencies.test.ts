// Dependencies: cycles of any length are rejected, unknown or lost dependencies cancel their
// dependents, and the run order puts dependencies first.
import { describe, expect, it } from 'vitest';
import { dependencyOrder, findCycles } from '../../functions/core/rules/dependency-graph.js';
import { resolveConflicts } from '../../functions/core/rules/resolution.js';
import { active, input, rec, statuses } from './fixtures.js';

const cycle = (ids: string[]) => ids.map((id, i) => rec(id, { dependencies: [ids[(i + 1) % ids.length]] }));

describe('dependency cycles', () => {
  it.each([
    [['a'], 'a -> a'],
    [['a', 'b'], 'a -> b -> a'],
    [['c', 'a', 'b'], 'a -> b -> c -> a'],
    [['e', 'b', 'd', 'a', 'c'], 'a -> c -> e -> b -> d -> a'],
  ])('a cycle of %j rejects every member and is reported once', (ids, path) => {
    const result = resolveConflicts(input([...cycle(ids), rec('free')]));
    for (const id of ids) expect(result.outcomes.get(id)?.status).toBe('rejected');
    expect(result.outcomes.get('free')?.status).toBe('kept');
    expect(result.conflicts).toEqual([
      expect.objectContaining({
        type: 'dependency',
        recommendation_ids: [...ids].sort(),
        description: `Circular dependency: ${path}`,
        conflicting_field: 'dependencies',
      }),
    ]);
  });

  it('a cycle of two is described member by member, like any other cycle', () => {
    const [conflict] = resolveConflicts(input(cycle(['b', 'a']))).conflicts;
    expect(conflict.resolution).toBe(
      'a rejected (in a dependency cycle with a, b); b rejected (in a dependency cycle with a, b)',
    );
  });

  it('a tangle of cycles with no single path lists its members', () => {
    const tangle = [
      rec('a', { dependencies: ['b', 'c'] }),
      rec('b', { dependencies: ['a'] }),
      rec('c', { dependencies: ['a'] }),
    ];
    const result = resolveConflicts(input(tangle));
    expect(result.conflicts.map((c) => c.description)).toEqual(['Circular dependencies among a, b, c']);
    expect(result.kept).toEqual([]);
  });

  it('two separate cycles are two conflicts; their dependents are cancelled', () => {
    const result = statuses([
      ...cycle(['a', 'b']),
      ...cycle(['x', 'y', 'z']),
      rec('needs-a', { dependencies: ['a'] }),
      rec('needs-that', { dependencies: ['needs-a'] }),
    ]);
    expect(result).toEqual({
      a: 'rejected',
      b: 'rejected',
      x: 'rejected',
      y: 'rejected',
      z: 'rejected',
      'needs-a': 'cancelled',
      'needs-that': 'cancelled',
    });
  });

  it('a rejected cycle member does not cost a conflicting recommendation its place', () => {
    const result = statuses([
      ...cycle(['a', 'b']).map((r) => ({ ...r, priority: 9, affected_resources: ['r'] })),
      rec('c', { priority: 1, affected_resources: ['r'] }),
    ]);
    expect(result).toEqual({ a: 'rejected', b: 'rejected', c: 'kept' });
  });

  it('severity follows the riskiest member', () => {
    const [a, b] = cycle(['a', 'b']);
    const result = resolveConflicts(
      input([
        { ...a, risk_level: 'critical' },
        { ...b, risk_level: 'low' },
      ]),
    );
    expect(result.conflicts[0].severity).toBe('high');
  });
});

describe('unknown and lost dependencies', () => {
  it('an unknown dependency cancels the recommendation and is reported as a conflict', () => {
    const result = resolveConflicts(
      input([rec('a', { dependencies: ['ghost'], risk_level: 'medium' }), rec('b', { dependencies: ['a'] })]),
    );
    expect(result.outcomes.get('a')?.status).toBe('cancelled');
    expect(result.outcomes.get('b')?.status).toBe('cancelled');
    expect(result.conflicts).toEqual([
      expect.objectContaining({
        type: 'dependency',
        recommendation_ids: ['a'],
        description: 'Depends on unknown recommendation ghost',
        severity: 'medium',
      }),
    ]);
  });

  it('a dependency known from an earlier request is fine while it is active or completed, and cancels otherwise', () => {
    const known = new Map([
      ['done', 'completed'],
      ['waiting', 'approved'],
      ['lost', 'discarded'],
      ['broke', 'rolled_back'],
    ] as const);
    const result = resolveConflicts(
      input(
        [
          rec('a', { dependencies: ['done', 'waiting'] }),
          rec('b', { dependencies: ['done', 'lost'] }),
          rec('c', { dependencies: ['broke'] }),
        ],
        { known },
      ),
    );
    expect(Object.fromEntries([...result.outcomes].map(([id, o]) => [id, o.status]))).toEqual({
      a: 'kept',
      b: 'cancelled',
      c: 'cancelled',
    });
    expect(result.outcomes.get('b')?.reason).toContain('lost');
    expect(result.conflicts).toEqual([]);
  });

  it('depending on a recommendation discarded in this batch cancels, transitively', () => {
    const result = resolveConflicts(
      input([
        rec('winner', { priority: 9, affected_resources: ['r'] }),
        rec('loser', { priority: 5, affected_resources: ['r'] }),
        rec('needs-loser', { dependencies: ['loser'] }),
        rec('needs-that', { dependencies: ['needs-loser'] }),
      ]),
    );
    expect(result.kept).toEqual(['winner']);
    // The true cause, all the way down the chain (issue 13 §2).
    expect(result.outcomes.get('needs-loser')).toMatchObject({
      status: 'cancelled',
      reason: 'dependency loser was discarded in favour of winner (priority 9, savings 0.00)',
    });
    expect(result.outcomes.get('needs-that')).toMatchObject({
      status: 'cancelled',
      reason: expect.stringMatching(
        /^dependency needs-loser was cancelled: dependency loser was discarded in favour of winner/,
      ),
    });
  });

  it('a cancelled recommendation does not cost anybody else their place', () => {
    // blocked outranks bystander and shares its resource, but its dependency lost: bystander is kept.
    const result = statuses([
      rec('winner', { priority: 9, affected_resources: ['r'] }),
      rec('loser', { priority: 5, affected_resources: ['r'] }),
      rec('blocked', { priority: 8, dependencies: ['loser'], affected_resources: ['s'] }),
      rec('bystander', { priority: 1, affected_resources: ['s'] }),
    ]);
    expect(result).toEqual({ winner: 'kept', loser: 'discarded', blocked: 'cancelled', bystander: 'kept' });
  });

  it('depending on an active recommendation that this batch supersedes cancels', () => {
    const old = active('old', 'pending_approval', { priority: 1, affected_resources: ['r'] });
    const result = statuses(
      [rec('better', { priority: 9, affected_resources: ['r'] }), rec('needs-old', { dependencies: ['old'] })],
      { active: [old] },
    );
    expect(result).toEqual({ better: 'kept', old: 'superseded', 'needs-old': 'cancelled' });
  });

  it("the reason names the first stopped dependency in the recommendation's own list, whatever the batch order", () => {
    const batch = [
      rec('x', { dependencies: ['ghost-1'] }),
      rec('y', { dependencies: ['ghost-2'] }),
      rec('needs-both', { dependencies: ['y', 'x'] }),
    ];
    for (const order of [batch, [...batch].reverse()]) {
      expect(resolveConflicts(input(order)).outcomes.get('needs-both')?.reason).toBe(
        'dependency y was cancelled: dependency ghost-2 is unknown for this customer',
      );
    }
  });

  it('a cascade of cancellations along a long chain settles', () => {
    const chain = Array.from({ length: 300 }, (_, i) =>
      rec(`c${String(i).padStart(3, '0')}`, {
        dependencies: i === 0 ? ['loser'] : [`c${String(i - 1).padStart(3, '0')}`],
      }),
    );
    const result = statuses([
      rec('winner', { priority: 9, affected_resources: ['r'] }),
      rec('loser', { affected_resources: ['r'] }),
      ...chain,
    ]);
    expect(chain.every((c) => result[c.id] === 'cancelled')).toBe(true);
  });
});

describe('findCycles', () => {
  it('finds self-loops, pairs and longer cycles, and nothing in a DAG', () => {
    const found = findCycles([[0], [2], [1], [4], [5], [3], [7], []]).map((c) => c.sort());
    expect(found.sort()).toEqual([[0], [1, 2], [3, 4, 5]]);
    expect(findCycles([[1, 2], [2], []])).toEqual([]);
  });

  it('walks a 100,000-node chain without overflowing the stack, and finds it when closed', () => {
    const n = 100_000;
    const chain = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    expect(findCycles(chain)).toEqual([]);
    chain[n - 1] = [0];
    const cycles = findCycles(chain);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
  });
});

describe('dependencyOrder', () => {
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const item = (id: string, dependencies: string[] = []) => ({ id, dependencies });

  it('puts every dependency first, ties in the given order, ignoring dependencies outside the set', () => {
    const order = dependencyOrder(
      [item('d', ['b', 'c']), item('c', ['a', 'outside']), item('b'), item('a'), item('e', ['a'])],
      byId,
    );
    expect(order.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('orders a long chain given backwards', () => {
    const n = 20_000;
    const items = Array.from({ length: n }, (_, i) => item(`n${n - i}`, i + 1 < n ? [`n${n - i - 1}`] : []));
    const order = dependencyOrder(items, byId);
    expect(order[0].id).toBe('n1');
    expect(order[n - 1].id).toBe(`n${n}`);
  });

  it('refuses a cycle', () => {
    expect(() => dependencyOrder([item('a', ['b']), item('b', ['a'])], byId)).toThrow(/cycle/);
  });
});

describe('dependencies order, they do not conflict (issue 13 §2)', () => {
  const snap = (fields = {}) => rec('SNAP', { action: 'take_snapshot', affected_resources: ['i-1'], ...fields });
  const mig = (fields = {}) =>
    rec('MIG', { action: 'migrate_to_spot', affected_resources: ['i-1'], dependencies: ['SNAP'], ...fields });

  it.each([
    ['MIG ranks higher', { priority: 9 }, { priority: 1 }],
    ['MIG ranks lower', { priority: 1 }, { priority: 9 }],
  ])(
    '"snapshot i-1, then migrate i-1" keeps both when %s, with no conflict between them',
    (_, migFields, snapFields) => {
      const result = resolveConflicts(input([mig(migFields), snap(snapFields)]));
      expect([...result.kept].sort()).toEqual(['MIG', 'SNAP']);
      expect(result.conflicts).toEqual([]);
    },
  );

  it('holds across batches and transitively, while a rival on the same resource still conflicts', () => {
    const old = active('SNAP', 'approved', { action: 'take_snapshot', affected_resources: ['i-1'], priority: 9 });
    const chain = [
      rec('STOP', { affected_resources: ['i-1'], dependencies: ['SNAP'], priority: 1 }),
      rec('MIG', { affected_resources: ['i-1'], dependencies: ['STOP'], priority: 5 }),
    ];
    const result = resolveConflicts(
      input([...chain, rec('RIVAL', { affected_resources: ['i-1'], priority: 3 })], { active: [old] }),
    );
    expect(result.outcomes.get('SNAP')?.status).toBe('kept');
    expect(result.outcomes.get('MIG')?.status).toBe('kept');
    expect(result.outcomes.get('STOP')?.status).toBe('kept');
    expect(result.outcomes.get('RIVAL')).toMatchObject({ status: 'discarded', by: 'SNAP' });
    expect(result.conflicts.map((c) => c.recommendation_ids.join('+')).sort()).toEqual([
      'MIG+RIVAL',
      'RIVAL+SNAP',
      'RIVAL+STOP',
    ]);
  });
});

describe('the reason of a chain of stopped dependents', () => {
  // Found by property (c): r4 depends on r3 and r2, r3 on r2, r2 has expired. Depending on the batch
  // order, r4 was reached before r3's own reason was known and said "dependency r3 was not kept".
  const expired = '2025-10-20T11:59:59.000Z';
  const batch = [
    rec('r2', { expires_at: expired }),
    rec('r3', { dependencies: ['r2'] }),
    rec('r4', { dependencies: ['r3', 'r2'] }),
  ];

  it.each([
    ['dependencies first', batch],
    ['dependents first', [...batch].reverse()],
  ])('names the first stopped dependency and its true cause, whatever the order (%s)', (_, fresh) => {
    const outcomes = resolveConflicts(input(fresh)).outcomes;
    expect(outcomes.get('r3')?.reason).toBe(`dependency r2 was expired: Expired at ${expired}`);
    expect(outcomes.get('r4')).toEqual({
      status: 'cancelled',
      reason: `dependency r3 was cancelled: dependency r2 was expired: Expired at ${expired}`,
    });
  });
});
