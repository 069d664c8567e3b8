// `npm start`'s own DynamoDB Local is supervised (issue 8 §4): its java killed under a running local
// stack, /health says 503 while it is down and 200 once it is back, and the stack keeps working on
// the data it had (ARBITER_DATA_DIR).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoordinationResponse } from '../../functions/core/model/records.js';
import { type ArbiterClient, arbiterClient, endedPlan, eventually, registerAgent } from '../../local/arbiter-client.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { javaUnder } from '../support/processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-supervised-'));
let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function runs(agent: ArbiterClient, id: string): Promise<string> {
  const recommendation = {
    id,
    agent_id: 'cost-agent-1',
    agent_type: 'cost',
    type: 'cost',
    title: id,
    action: 'resize_disk',
    risk_level: 'low',
    affected_resources: [`vol-${id}`],
    priority: 1,
    confidence: 0.9,
  };
  const { status, body } = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
    customer_id: 'supervised',
    recommendations: [recommendation],
    auto_approve: true,
    execute_now: true,
  });
  expect(status).toBe(200);
  return (await endedPlan<{ status: string }>(agent, body.execution_plans[0].id)).plan.status;
}

describe('npm start with DynamoDB Local dying under it', () => {
  it('answers /health 503 while it is down, 200 once it is back, and keeps working with its data', {
    timeout: 120_000,
  }, async () => {
    stack = await startLocalStack({ port: 0, quiet: true, dataPath: dataDir, reconcileEveryMs: 0 });
    expect(stack.dynamo).toBeDefined();
    const health = () => fetch(`${stack!.url}/health`).then((r) => r.status);
    const { api_key } = await registerAgent(arbiterClient(stack.url, stack.adminKey), 'cost-agent-1', 'supervised');
    const agent = arbiterClient(stack.url, api_key);
    expect(await runs(agent, 'before')).toBe('completed');
    expect(await health()).toBe(200);

    const firstPid = stack.dynamo!.pid;
    process.kill(javaUnder(firstPid as number), 'SIGKILL');
    await eventually('/health to say 503', async () => ((await health()) === 503 ? true : undefined), 20_000);
    await eventually('/health to say 200 again', async () => ((await health()) === 200 ? true : undefined), 30_000);
    expect(stack.dynamo!.restarts).toBe(1);
    expect(stack.dynamo!.pid).not.toBe(firstPid);

    // The agent registered before the crash is still known, and a new plan runs to completion.
    expect(await runs(agent, 'after')).toBe('completed');
    const { body } = await agent.call<{ status: string }>('GET', '/coordination/recommendations/before');
    expect(body.status).toBe('completed');
  });
});
