// Issue 8 §5's worst batch over HTTP on the local stack: N recommendations (default 1,000) on one
// resource, about 200 KB of request. Prints the time to answer and the response size, for a few
// runs (each on a fresh customer). Target: under 2 s and under 1 MB for 1,000.
//   node --import tsx bench/coordinate-one-resource.bench.ts [N] [runs]
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

import { randomUUID } from 'node:crypto';
import { arbiterClient, registerAgent } from '../local/arbiter-client.js';
import { startDynamoLocal } from '../local/dynamodb.js';
import { startLocalStack } from '../local/stack.js';

const n = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);

function batch(customerId: string) {
  return {
    customer_id: customerId,
    auto_approve: true,
    execute_now: false,
    recommendations: Array.from({ length: n }, (_, i) => ({
      id: `rec-${String(i).padStart(4, '0')}`,
      agent_id: 'bench-agent',
      agent_type: 'cost',
      type: 'cost',
      title: `Rightsize option ${i}`,
      action: 'rightsize',
      risk_level: 'low',
      estimated_savings: 100 + (i % 97),
      affected_resources: ['db-shared-1'],
      priority: 1 + (i % 10),
      confidence: 0.5,
    })),
  };
}

const dynamo = await startDynamoLocal();
const stack = await startLocalStack({
  port: 0,
  quiet: true,
  dynamoEndpoint: dynamo.endpoint,
  tableName: `bench-${randomUUID()}`,
});
try {
  const rows: string[] = [];
  for (let run = 1; run <= runs; run++) {
    const customerId = `bench-${randomUUID().slice(0, 8)}`;
    const { api_key } = await registerAgent(arbiterClient(stack.url, stack.adminKey), 'bench-agent', customerId);
    const body = JSON.stringify(batch(customerId));
    const started = performance.now();
    const response = await fetch(new URL('/coordination/coordinate', stack.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${api_key}`, 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    const ms = performance.now() - started;
    const parsed = JSON.parse(text) as { conflicts_detected?: number; conflicts?: unknown[] };
    rows.push(
      `| ${run} | ${n} | ${(body.length / 1024).toFixed(0)} KiB | ${response.status} | ${ms.toFixed(0)} ms | ${(text.length / 1024).toFixed(0)} KiB | ${parsed.conflicts_detected} | ${parsed.conflicts?.length} |`,
    );
  }
  console.log(
    '| run | recommendations | request | status | time | response | conflicts_detected | conflicts returned |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
} finally {
  await stack.stop();
  await dynamo.stop();
}
