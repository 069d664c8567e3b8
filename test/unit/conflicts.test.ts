// Pairwise conflicts: contradictory actions (symmetric, scoped to overlapping resources), shared
// resources, and severity.
import { describe, expect, it } from 'vitest';
import { RISK_LEVELS, type RiskLevel } from '../../functions/core/model/inputs.js';
import { detectConflicts } from '../../functions/core/rules/conflicts.js';
import { contradicts, opposites } from '../../functions/core/rules/contradictory-actions.js';
import { resolveConflicts } from '../../functions/core/rules/resolution.js';
import { input, rec, statuses } from './fixtures.js';
import { CONTRADICTORY } from './reference.js';

const ACTIONS = [...new Set(CONTRADICTORY.flat()), 'optimize_kv_cache'];

type Fields = Parameters<typeof rec>[1];

function conflictsOf(a: Fields, b: Fields) {
  return resolveConflicts(input([rec('rec-a', a), rec('rec-b', b)])).conflicts;
}

function statusesOf(a: Fields, b: Fields) {
  const outcome = statuses([rec('rec-a', a), rec('rec-b', b)]);
  return [outcome['rec-a'], outcome['rec-b']];
}

describe('contradictory actions', () => {
  it.each(CONTRADICTORY)('%s and %s contradict each other in both orders', (x, y) => {
    expect(contradicts(x, y)).toBe(true);
    expect(contradicts(y, x)).toBe(true);
    expect(opposites(x)).toContain(y);
    expect(opposites(y)).toContain(x);
  });

  it('no other pair of actions contradicts, and no action contradicts itself', () => {
    const listed = new Set(CONTRADICTORY.flatMap(([x, y]) => [`${x}|${y}`, `${y}|${x}`]));
    for (const x of ACTIONS) for (const y of ACTIONS) expect(contradicts(x, y)).toBe(listed.has(`${x}|${y}`));
  });

  it.each(
    CONTRADICTORY.flatMap(([x, y]) => [
      [x, y],
      [y, x],
    ]),
  )('%s then %s on a shared resource: one action conflict named in id order', (x, y) => {
    const conflicts = conflictsOf({ action: x, affected_resources: ['r1'] }, { action: y, affected_resources: ['r1'] });
    expect(conflicts.filter((c) => c.type === 'action')).toEqual([
      expect.objectContaining({
        recommendation_ids: ['rec-a', 'rec-b'],
        description: `Contradictory actions: ${x} vs ${y}`,
        severity: 'high',
        conflicting_field: 'action',
      }),
    ]);
  });

  it('contradictory actions on disjoint resources do not conflict', () => {
    expect(
      conflictsOf(
        { action: 'scale_up', affected_resources: ['r1'] },
        { action: 'scale_down', affected_resources: ['r2'] },
      ),
    ).toEqual([]);
    expect(
      statusesOf(
        { action: 'scale_up', affected_resources: ['r1'] },
        { action: 'scale_down', affected_resources: ['r2'] },
      ),
    ).toEqual(['kept', 'kept']);
  });

  it.each([
    ['the first', [], ['r1']],
    ['the second', ['r1'], []],
    ['both', [], []],
  ])('contradictory actions conflict when %s names no resources', (_, first, second) => {
    const conflicts = conflictsOf(
      { action: 'scale_down', affected_resources: first },
      { action: 'scale_up', affected_resources: second, priority: 9 },
    );
    expect(conflicts.map((c) => [c.type, c.recommendation_ids, c.description])).toEqual([
      ['action', ['rec-a', 'rec-b'], 'Contradictory actions: scale_down vs scale_up'],
    ]);
    expect(
      statusesOf(
        { action: 'scale_down', affected_resources: first },
        { action: 'scale_up', affected_resources: second, priority: 9 },
      ),
    ).toEqual(['discarded', 'kept']);
  });

  it('actions that do not contradict never conflict without a shared resource, even when neither names any', () => {
    expect(conflictsOf({ action: 'scale_up' }, { action: 'scale_up' })).toEqual([]);
    expect(conflictsOf({ action: 'enable_caching' }, { action: 'scale_down', affected_resources: ['r1'] })).toEqual([]);
  });
});

describe('resource conflicts', () => {
  it('one conflict per pair however many resources are shared, listed sorted', () => {
    const conflicts = conflictsOf(
      { affected_resources: ['z', 'b', 'a', 'only-a'] },
      { affected_resources: ['a', 'z', 'b', 'only-b'] },
    );
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].description).toBe('Both recommendations affect resources: [a b z]');
  });

  it('every pair sharing a resource is reported, and the hub is the only one kept when it ranks first', () => {
    const hub = rec('hub', { affected_resources: ['r1', 'r2', 'r3'], priority: 9 });
    const spokes = ['r1', 'r2', 'r3'].map((r, i) => rec(`s${i}`, { affected_resources: [r] }));
    const result = resolveConflicts(input([...spokes, hub]));
    expect(result.conflicts.map((c) => c.recommendation_ids)).toEqual([
      ['hub', 's0'],
      ['hub', 's1'],
      ['hub', 's2'],
    ]);
    expect(result.kept).toEqual(['hub']);
  });

  it('a discarded recommendation does not block one it conflicts with (unlike the seed)', () => {
    // b loses to a; c only conflicts with b, so c is kept.
    const result = resolveConflicts(
      input([
        rec('a', { affected_resources: ['x'], priority: 9 }),
        rec('b', { affected_resources: ['x', 'y'], priority: 8 }),
        rec('c', { affected_resources: ['y'], priority: 7 }),
      ]),
    );
    expect(result.kept).toEqual(['a', 'c']);
    expect(result.outcomes.get('b')).toMatchObject({ status: 'discarded', by: 'a' });
    expect(result.conflicts.find((c) => c.recommendation_ids.join() === 'b,c')?.resolution).toBe(
      'Kept recommendation c (priority: 7, savings: 0.00), discarded b',
    );
  });
});

describe('severity', () => {
  const expected: Record<RiskLevel, string> = { low: 'low', medium: 'medium', high: 'high', critical: 'high' };
  const higher = (x: RiskLevel, y: RiskLevel) => (RISK_LEVELS.indexOf(x) > RISK_LEVELS.indexOf(y) ? x : y);
  const pairs = RISK_LEVELS.flatMap((x) => RISK_LEVELS.map((y) => [x, y] as const));

  it.each(pairs)('a resource conflict between %s and %s risk takes the higher risk', (x, y) => {
    const [conflict] = conflictsOf(
      { risk_level: x, affected_resources: ['r'] },
      { risk_level: y, affected_resources: ['r'] },
    );
    expect(conflict.severity).toBe(expected[higher(x, y)]);
  });

  it('an action conflict is high even between two low-risk recommendations', () => {
    const conflicts = conflictsOf(
      { action: 'enable_caching', affected_resources: ['r'] },
      { action: 'disable_caching', affected_resources: ['r'] },
    );
    expect(conflicts.map((c) => [c.type, c.severity])).toEqual([
      ['resource', 'low'],
      ['action', 'high'],
    ]);
  });
});

describe('detection result', () => {
  it('neighbours link both sides of each pair conflict, once', () => {
    const detection = detectConflicts(
      input([
        rec('a', { action: 'scale_up', affected_resources: ['r1', 'r2'] }),
        rec('b', { action: 'scale_down', affected_resources: ['r2', 'r1'] }),
        rec('c', { action: 'scale_down' }),
      ]),
    );
    expect(detection.neighbours.map((n) => [...n].sort())).toEqual([[1, 2], [0], [0]]);
    expect(detection.conflicts.map((c) => c.type).sort()).toEqual(['action', 'action', 'resource']);
  });
});

describe('long resource lists', () => {
  it('names the first 20 shared resources and counts the rest', () => {
    const resources = Array.from({ length: 25 }, (_, i) => `r-${String(i).padStart(2, '0')}`);
    const base = {
      action: 'optimize',
      dependencies: [],
      priority: 1,
      estimated_savings: 0,
      confidence: 1,
      risk_level: 'low' as const,
      affected_resources: resources,
    };
    const { conflicts } = detectConflicts({
      fresh: [
        { ...base, id: 'a' },
        { ...base, id: 'b' },
      ],
      active: [],
      known: new Map(),
      freezeWindows: [],
      now: new Date(),
    });
    expect(conflicts[0].description).toBe(
      `Both recommendations affect resources: [${resources.slice(0, 20).join(' ')} … and 5 more]`,
    );
  });
});
