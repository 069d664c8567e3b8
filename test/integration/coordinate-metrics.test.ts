// What a coordination counts for operators (issue 9 §1), on DynamoDB Local, through the metrics port
// recorded in memory: how many were received, kept, discarded, superseded, cancelled; conflicts by type;
// approvals requested and withdrawn. A dry run decides the same and counts nothing.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoApprovalStore } from '../../functions/adapters/approval-store.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { newId } from '../../functions/adapters/ids.js';
import { DynamoPolicyStore } from '../../functions/adapters/policy-store.js';
import { DynamoRecommendationStore } from '../../functions/adapters/recommendation-store.js';
import { DynamoReconcileStore } from '../../functions/adapters/reconcile-store.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import type { CoordinationPorts } from '../../functions/core/ports/coordination.js';
import { type MetricPoint, recordingMetrics } from '../../functions/core/ports/metrics.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { rec, seed } from '../support/fixtures.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { freshTable } from '../support/table.js';

let deps: CoordinationPorts;

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  const db = documentClient({ endpoint });
  deps = {
    recommendations: new DynamoRecommendationStore(db, tableName),
    approvals: new DynamoApprovalStore(db, tableName),
    policies: new DynamoPolicyStore(db, tableName),
    workflow: new RecordingWorkflow(),
    clock: { now: () => new Date() },
    ids: { next: newId },
    reconcile: new DynamoReconcileStore(db, tableName),
  };
});

async function counted(body: unknown) {
  const metrics = recordingMetrics();
  const response = await coordinate(CoordinateRequest.parse(body), { ...deps, metrics });
  return { response, points: metrics.points };
}

/** `name/dimension: value`, sorted, to compare the whole set at once. */
const tally = (points: MetricPoint[]) =>
  points.map((p) => `${p.name}${p.dimension ? `/${p.dimension}` : ''}: ${p.value}`).sort();

describe('coordinate counts its decisions', () => {
  it('seed test 2: two received, one kept, one discarded, a resource conflict, one approval requested', async () => {
    const { points } = await counted(seed.test2(`cust-${randomUUID()}`));
    expect(tally(points)).toEqual([
      'Approvals/requested: 1',
      'Conflicts/resource: 1',
      'Recommendations/discarded: 1',
      'Recommendations/kept: 1',
      'Recommendations/received: 2',
    ]);
  });

  it('a newcomer that supersedes a pending one, a cancelled dependent: superseded, cancelled, approval withdrawn', async () => {
    const customer = `cust-${randomUUID()}`;
    await counted(seed.test2(customer));
    const batch = {
      customer_id: customer,
      recommendations: [
        rec({ id: 'rec-020', affected_resources: ['i-101'], priority: 50, risk_level: 'medium' }),
        rec({ id: 'rec-021', affected_resources: ['i-900'], dependencies: ['rec-unknown'] }),
      ],
    };
    const dry = await counted({ ...batch, dry_run: true });
    expect(dry.points).toEqual([]);
    const { points, response } = await counted(batch);
    expect(response.superseded).toEqual([{ id: 'rec-003', superseded_by: 'rec-020' }]);
    expect(tally(points)).toEqual([
      'Approvals/cancelled: 1',
      'Approvals/requested: 1',
      'Conflicts/dependency: 1',
      'Conflicts/resource: 1',
      'Recommendations/cancelled: 1',
      'Recommendations/kept: 1',
      'Recommendations/received: 2',
      'Recommendations/superseded: 1',
    ]);
  });
});
