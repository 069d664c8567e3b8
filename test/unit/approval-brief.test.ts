// What the approver is told: the plan's steps, the conflicts won, the votes and the time left.
import { describe, expect, it } from 'vitest';
import { composeBrief, conflictsWon } from '../../functions/core/messages/approval-brief.js';
import { timeLeftInWords } from '../../functions/core/messages/time-left.js';
import type { Approval, Conflict, Recommendation } from '../../functions/core/model/records.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the time left in words', () => {
  it.each([
    [47 * HOUR + 59 * MIN, 'decide within 47 hours'],
    [4 * HOUR, 'decide within 4 hours'],
    [2 * HOUR, 'decide within 2 hours'],
    [HOUR + 20 * MIN + 30_000, 'decide within 1 hour'],
    [HOUR, 'decide within 1 hour'],
    [12 * MIN + 59_000, 'decide within 12 minutes'],
    [MIN, 'decide within 1 minute'],
    [30_000, 'decide within the minute'],
    [5 * 24 * HOUR + HOUR, 'decide within 5 days'],
    [0, 'the time to decide has passed'],
  ])('%d ms left: "%s" (rounded down, never more than there is)', (left, words) => {
    expect(timeLeftInWords(later(left), NOW)).toBe(words);
  });
});

const conflict = (ids: string[], type: Conflict['type'] = 'resource'): Conflict =>
  ({ id: `c-${ids.join('-')}-${type}`, type, recommendation_ids: ids, description: `${type} on i-1` }) as Conflict;
const recommendation = (fields: Partial<Recommendation>) =>
  ({
    customer_id: 'c',
    agent_id: 'cost-agent-1',
    action: 'migrate_to_spot',
    title: fields.id,
    risk_level: 'critical',
    dependencies: [],
    conflicts: [],
    ...fields,
  }) as Recommendation;

describe('the conflicts a recommendation won', () => {
  const winner = recommendation({
    id: 'win',
    conflicts: [
      conflict(['lost', 'win']),
      conflict(['lost', 'win'], 'action'),
      conflict(['old', 'win']),
      conflict(['other', 'win']),
    ],
  });
  const rivals = [
    recommendation({ id: 'lost', status: 'discarded', resolved_by: 'win' }),
    recommendation({ id: 'old', status: 'superseded', resolved_by: 'win' }),
    // Lost to someone else: not a conflict this one won.
    recommendation({ id: 'other', status: 'discarded', resolved_by: 'third' }),
  ];

  it('names each beaten rival once, with every kind of conflict it had with it and what became of it', () => {
    expect(conflictsWon(winner, rivals)).toEqual([
      {
        types: ['resource', 'action'],
        descriptions: ['resource on i-1', 'action on i-1'],
        rival: { id: 'lost', title: 'lost' },
        outcome: 'discarded',
      },
      {
        types: ['resource'],
        descriptions: ['resource on i-1'],
        rival: { id: 'old', title: 'old' },
        outcome: 'superseded',
      },
    ]);
  });

  it('composes the brief: 3 steps with their agents, the votes so far and the dependencies', () => {
    const approval = {
      approvals_required: 2,
      expires_at: later(4 * HOUR),
      votes: [
        { approver: 'ann@x.example', approver_id: 'a1', decision: 'approve', at: NOW.toISOString(), via: 'link' },
      ],
    } as Approval;
    const brief = composeBrief({ ...winner, dependencies: ['snap'] }, approval, rivals, NOW);
    expect(brief.steps).toEqual([
      { number: 1, action: 'take_snapshot', agent_id: 'cost-agent-1', critical: true, reversible: true },
      { number: 2, action: 'migrate_workload', agent_id: 'cost-agent-1', critical: true, reversible: true },
      { number: 3, action: 'validate_quality', agent_id: 'application-agent', critical: true, reversible: false },
    ]);
    expect(brief).toMatchObject({ approved: 1, required: 2, timeLeft: 'decide within 4 hours' });
    expect(brief.why).toBe(
      'critical risk (as the agent declared it) needs 2 approvals from different approvers; any one rejection vetoes it.',
    );
    expect(brief.dependencies).toEqual([{ id: 'snap', status: 'unknown' }]);
  });
});
