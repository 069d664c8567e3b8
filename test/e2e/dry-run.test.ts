// Dry run (issue 9 §8) over HTTP on the local stack: `"dry_run": true` answers what the real call then
// decides (conflicts, kept, not kept, superseded, approvals, effective risks), and stores and starts nothing:
// the whole table scans the same before and after, and no execution is started.
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CoordinationResponse } from '../../functions/core/model/records.js';
import { type ArbiterClient, arbiterClient, eventually, registerOrchestrator } from '../../local/arbiter-client.js';
import { localClient } from '../../local/dynamodb.js';
import { SEED_AGENTS, SEED_SCENARIOS } from '../../local/seed-scenarios.js';
import { stackForFile } from '../support/local-stack.js';

const stack = stackForFile();

async function scanTable(): Promise<string> {
  const db = localClient(stack.dynamoEndpoint);
  try {
    const items = ((await db.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? []).map((i) =>
      unmarshall(i),
    );
    return JSON.stringify(items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`)));
  } finally {
    db.destroy();
  }
}

type Coordination = CoordinationResponse & { dry_run?: boolean };

/** What a coordination decided, without what differs by run (ids, timestamps). */
function decisions(reply: Coordination) {
  return {
    counts: [reply.conflicts_detected, reply.recommendations_kept, reply.approvals_required, reply.auto_approved],
    conflicts: reply.conflicts.map((c) => ({
      type: c.type,
      severity: c.severity,
      recommendation_ids: c.recommendation_ids,
      resolution: c.resolution,
    })),
    kept: reply.recommendations.map((r) => ({
      id: r.id,
      status: r.status,
      status_reason: r.status_reason.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<deadline>'),
      effective_risk: r.effective_risk,
      risk_floor_reason: r.risk_floor_reason,
    })),
    not_kept: reply.not_kept,
    superseded: reply.superseded,
    duplicates: reply.duplicates,
    approvals: reply.approvals.map((a) => ({
      recommendation_id: a.recommendation_id,
      risk_level: a.risk_level,
      approvals_required: a.approvals_required,
    })),
  };
}

const challenger = (customerId: string) => ({
  customer_id: customerId,
  auto_approve: false,
  execute_now: false,
  recommendations: [
    {
      // Outranks the stored rec-003 on i-101: would supersede it and withdraw its approval.
      id: 'rec-010',
      agent_id: 'perf-agent-1',
      agent_type: 'performance',
      type: 'performance',
      title: 'Scale up for the sale',
      action: 'scale_up',
      risk_level: 'high',
      estimated_savings: 0,
      affected_resources: ['i-101'],
      priority: 20,
      confidence: 0.9,
    },
    {
      // Loses to rec-010 on i-101.
      id: 'rec-011',
      agent_id: 'cost-agent-1',
      agent_type: 'cost',
      type: 'cost',
      title: 'Scale down at night',
      action: 'scale_down',
      risk_level: 'low',
      estimated_savings: 300,
      affected_resources: ['i-101'],
      priority: 5,
      confidence: 0.8,
    },
    {
      // Depends on an id nobody knows: cancelled.
      id: 'rec-012',
      agent_id: 'resource-agent-1',
      agent_type: 'resource',
      type: 'resource',
      title: 'Resize after the migration',
      action: 'resize',
      risk_level: 'low',
      estimated_savings: 50,
      affected_resources: ['i-900'],
      priority: 3,
      confidence: 0.7,
      dependencies: ['rec-unknown'],
    },
  ],
});

describe('POST /coordination/coordinate with dry_run', () => {
  let agent: ArbiterClient;
  let customerId: string;

  beforeAll(async () => {
    customerId = `e2e-${randomUUID().slice(0, 8)}`;
    const { api_key } = await registerOrchestrator(arbiterClient(stack.url, stack.adminKey), customerId, SEED_AGENTS);
    agent = arbiterClient(stack.url, api_key);
    // rec-003 kept, pending approval; rec-004 discarded (seed 001 STEP 5 test 2).
    const seeded = await agent.call('POST', '/coordination/coordinate', SEED_SCENARIOS[1].request(customerId));
    expect(seeded.status).toBe(200);
    // Its workflow has written all it writes before a decision: the approval's token, then that it emailed.
    await eventually('the approval task to wait for a decision', async () => {
      const items = JSON.parse(await scanTable()) as { entity?: string; notified_at?: string }[];
      return items.some((i) => i.entity === 'approval' && i.notified_at) ? true : undefined;
    });
  });

  it('answers what the real call decides, and stores and starts nothing', async () => {
    const before = await scanTable();
    const executions = stack.stepFunctions.executions.list().length;

    const dry = await agent.call<Coordination>('POST', '/coordination/coordinate', {
      ...challenger(customerId),
      dry_run: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.dry_run).toBe(true);
    // The decisions are all there: one superseded, one discarded, one cancelled, one approval, two conflicts.
    expect(dry.body.superseded).toEqual([{ id: 'rec-003', superseded_by: 'rec-010' }]);
    expect(dry.body.not_kept.map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([
        ['rec-011', 'discarded'],
        ['rec-012', 'cancelled'],
      ]),
    );
    expect(dry.body.approvals.map((a) => a.recommendation_id)).toEqual(['rec-010']);
    expect(dry.body.recommendations[0]).toMatchObject({ id: 'rec-010', status: 'pending_approval' });
    expect(dry.body.recommendations[0].effective_risk).toBe('high');

    expect(await scanTable()).toBe(before);
    expect(stack.stepFunctions.executions.list()).toHaveLength(executions);
    const stored = await agent.call('GET', '/coordination/recommendations/rec-010');
    expect(stored.status).toBe(404);

    const real = await agent.call<Coordination>('POST', '/coordination/coordinate', challenger(customerId));
    expect(real.status).toBe(200);
    expect(real.body.dry_run).toBeUndefined();
    expect(decisions(real.body)).toEqual(decisions(dry.body));
    // The real one did store and start: rec-010 exists, and its workflow runs.
    expect((await agent.call('GET', '/coordination/recommendations/rec-010')).status).toBe(200);
    expect(stack.stepFunctions.executions.list().length).toBeGreaterThan(executions);
  });

  it('refuses a dry_run that is not a boolean, naming the field', async () => {
    const reply = await agent.call<{ details: { field: string }[] }>('POST', '/coordination/coordinate', {
      ...challenger(customerId),
      dry_run: 'yes',
    });
    expect(reply.status).toBe(400);
    expect(reply.body.details.map((d) => d.field)).toEqual(['dry_run']);
  });
});
