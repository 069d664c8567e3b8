// The example agent (examples/agent, written with the agent kit only) run as its own process
// against the local stack: registered with its URL through the admin API, it completes a quick
// step (200), a long one (202, then its signed callback), and undoes both when a later critical
// step fails (rollback). The client used here is the package's own `arbiter/client`.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ArbiterClient, type CoordinateInput, type ExecutionPlan } from 'arbiter/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../local/arbiter-client.js';
import { freePort } from '../../local/dynamodb.js';
import { stackForFile } from '../support/local-stack.js';

const stack = stackForFile();
let agentProcess: ChildProcess | undefined;
let agentUrl: string;
let agentLog = '';
const customer = `kit-${randomUUID().slice(0, 8)}`;
let arbiter: ArbiterClient;

beforeAll(async () => {
  const port = await freePort();
  agentUrl = `http://127.0.0.1:${port}`;
  const admin = new ArbiterClient(stack.url, stack.adminKey);
  const agent = await admin.registerAgent({ agent_id: 'volume-agent', customer_id: customer, endpoint_url: agentUrl });
  arbiter = new ArbiterClient(stack.url, agent.api_key);

  agentProcess = spawn(process.execPath, ['--import', 'tsx', 'examples/agent/index.ts'], {
    env: { ...process.env, ARBITER_SIGNING_SECRET: agent.signing_secret, AGENT_PORT: String(port), SNAPSHOT_MS: '300' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agentProcess.stdout?.on('data', (chunk) => (agentLog += chunk));
  agentProcess.stderr?.on('data', (chunk) => (agentLog += chunk));
  await eventually('the example agent to listen', async () => (agentLog.includes('listening on') ? true : undefined));
});

afterAll(async () => {
  if (agentProcess && agentProcess.exitCode === null) {
    agentProcess.kill('SIGTERM');
    await once(agentProcess, 'exit');
  }
});

/** The example's own recommendations (examples/agent/recommendations.json), for this test's customer. */
function exampleBatch(): CoordinateInput {
  const batch = JSON.parse(readFileSync('examples/agent/recommendations.json', 'utf8')) as CoordinateInput;
  return { ...batch, customer_id: customer };
}

async function ended(planId: string): Promise<ExecutionPlan> {
  return eventually(
    `plan ${planId} to end`,
    async () => {
      const plan = await arbiter.getPlan(planId);
      return plan.status === 'pending' || plan.status === 'running' ? undefined : plan;
    },
    // Generous: the machine's cores are shared, and a loaded one takes seconds per workflow task.
    60_000,
  );
}

const volumes = async () =>
  (await (await fetch(`${agentUrl}/volumes`)).json()) as { volume_id: string; size_gb: number; snapshots: string[] }[];

it('runs a quick step, a long step and a rollback on the example agent', async () => {
  const result = await arbiter.coordinate({ ...exampleBatch(), auto_approve: true, execute_now: true });
  const planOf = (id: string) => result.execution_plans.find((p) => p.recommendation_id === id)!.id;
  const [quick, long, undone] = await Promise.all(
    ['resize-vol-1', 'snapshot-vol-2', 'shrink-vol-3'].map((id) => ended(planOf(id))),
  );

  // Sync: the agent answered 200 with the result.
  expect(quick.status).toBe('completed');
  expect(quick.steps[0]).toMatchObject({
    status: 'completed',
    result: { volume_id: 'vol-1', previous_size_gb: 100, size_gb: 50 },
  });

  // Async: the agent answered 202, and its signed callback completed the step.
  expect(long.status).toBe('completed');
  expect(long.steps[0]).toMatchObject({
    status: 'completed',
    result: { volume_id: 'vol-2', snapshot_id: 'snap-vol-2-1' },
  });
  await eventually('the agent to log its delivered callback', async () =>
    agentLog.includes(`${long.steps[0].id} execute snapshot_volume: callback delivered`) ? true : undefined,
  );

  // Rollback: check_iops failed, so the resize and the snapshot were undone, last first.
  expect(undone.status).toBe('rolled_back');
  expect(undone.steps.map((s) => `${s.action}: ${s.status}`)).toEqual([
    'snapshot_volume: rolled_back',
    'resize_volume: rolled_back',
    'check_iops: failed',
  ]);
  expect(undone.steps[2].error).toBe('StepFailed: volume vol-3 offers 3000 IOPS, below the 5000 required');
  expect(undone.steps[1].rollback_result).toEqual({ volume_id: 'vol-3', restored_size_gb: 100 });

  const byId = Object.fromEntries((await volumes()).map((v) => [v.volume_id, v]));
  expect(byId['vol-1']).toMatchObject({ size_gb: 50, snapshots: [] });
  expect(byId['vol-2']).toMatchObject({ size_gb: 100, snapshots: ['snap-vol-2-1'] });
  expect(byId['vol-3']).toMatchObject({ size_gb: 100, snapshots: [] });
}, 90_000);

it('refuses a step that Arbiter did not sign', async () => {
  const body = JSON.stringify({ step_id: 'forged-s1', action: 'resize_volume' });
  const response = await fetch(agentUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-arbiter-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-arbiter-signature': 'v1=00',
    },
    body,
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({
    error: 'the x-arbiter-signature header does not match the body and the signing secret',
  });
});
