// `npm start` killed with SIGKILL, or stopped with a plain Ctrl-C (SIGINT to its process group, as a
// terminal sends it), mid-execution and mid-approval, then started again with the same
// ARBITER_DATA_DIR and port: the reconciler gives the interrupted plan a workflow that rolls back
// its completed step and ends it failed ("interrupted") within 60 s, its resources can be locked
// again, and the review link emailed before the crash still decides the approval. A Ctrl-C is no
// lost cleanup: it exits 0 without a failed write to the stopping table, and leaves repair to the
// reconciler instead of recording the plan failed without rollback.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import type { CoordinationResponse, ExecutionPlan } from '../../functions/core/model/records.js';
import {
  type ArbiterClient,
  arbiterClient,
  emailedReviewLink,
  eventually,
  registerAgent,
  registerApprover,
} from '../../local/arbiter-client.js';
import { freePort } from '../../local/dynamodb.js';

const ROOT = new URL('../../', import.meta.url);
const ADMIN_KEY = `arb_admin_${'k'.repeat(40)}`;
const dataDirs: string[] = [];
let child: ChildProcess | undefined;

/** `npm start` in a process group of its own (DynamoDB Local's java included), so SIGKILL takes all of it. */
async function start(port: number, dataDir: string): Promise<{ url: string; output: string[] }> {
  const output: string[] = [];
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // As a developer starts it: nothing of this test process's environment but the basics.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      ARBITER_DATA_DIR: dataDir,
      ARBITER_ADMIN_KEY: ADMIN_KEY,
    },
  });
  for (const stream of [child.stdout!, child.stderr!])
    stream.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').slice(-20)));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    'the local stack to answer /health',
    async () =>
      (await fetch(`${url}/health`)
        .then((r) => r.ok)
        .catch(() => false)) || undefined,
    60_000,
  );
  return { url, output };
}

/** The approval's item, read from the DynamoDB Local that the stack's banner names. */
async function approvalItem(
  output: string[],
  customerId: string,
  approvalId: string,
): Promise<Record<string, unknown> | undefined> {
  const banner = /DynamoDB\s+(http:\/\/\S+) \(table ([^,)\s]+)/.exec(output.join('\n'));
  if (!banner) throw new Error('the stack printed no DynamoDB endpoint');
  const db = documentClient({ endpoint: banner[1] });
  try {
    const key = { pk: keys.customer(customerId), sk: keys.approval(approvalId) };
    return (await db.send(new GetCommand({ TableName: banner[2], Key: key, ConsistentRead: true }))).Item;
  } finally {
    db.destroy();
  }
}

/** The signal to the whole process group; resolves with the exit code (null when killed). */
async function kill(signal: 'SIGKILL' | 'SIGINT' = 'SIGKILL'): Promise<number | null> {
  const running = child;
  if (!running?.pid || running.exitCode !== null) return running?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
  process.kill(-running.pid, signal);
  return exited;
}

// Each test's restarted stack is stopped when the test ends: the next test's start() replaces `child`, and a stack
// left running (a process group of its own) would outlive the test run.
afterEach(async () => {
  await kill();
});

afterAll(() => {
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
});

const planOf = async (agent: ArbiterClient, planId: string) =>
  (await agent.call<ExecutionPlan>('GET', `/coordination/plans/${planId}`)).body;

describe.each(['SIGKILL', 'SIGINT'] as const)('%s and restart with the same data directory', (signal) => {
  it('ends the interrupted plan failed with its completed step rolled back, frees its resources, and the old review link decides', {
    timeout: 240_000,
  }, async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), `arbiter-${signal.toLowerCase()}-`));
    dataDirs.push(dataDir);
    const first = await start(port, dataDir);
    const admin = arbiterClient(first.url, ADMIN_KEY);
    const { api_key } = await registerAgent(admin, 'cost-agent-1', 'crash');
    const agent = arbiterClient(first.url, api_key);
    const approver = await registerApprover(admin, 'crash', 'ops@example.com');

    // Step 1 completes at once; step 2's agent takes 60 s: the crash comes while it runs.
    const running = {
      id: 'rec-run',
      agent_id: 'cost-agent-1',
      agent_type: 'cost',
      type: 'cost',
      title: 'Interrupted',
      action: 'resize',
      risk_level: 'low',
      affected_resources: ['vol-1'],
      priority: 1,
      confidence: 0.9,
      steps: [
        { action: 'take_snapshot', reversible: true },
        { action: 'resize_disk', parameters: { simulate: { delay_ms: 30_000 } } },
      ],
    };
    const executing = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: 'crash',
      recommendations: [running],
      auto_approve: true,
      execute_now: true,
    });
    const planId = executing.body.execution_plans[0].id;
    await eventually(
      'step 2 to be running',
      async () => ((await planOf(agent, planId)).steps[1]?.status === 'running' ? true : undefined),
      30_000,
    );

    const pending = {
      ...running,
      id: 'rec-wait',
      title: 'Needs approval',
      risk_level: 'medium',
      affected_resources: ['vol-2'],
      steps: undefined,
      action: 'resize_disk',
    };
    expect(
      (
        await agent.call('POST', '/coordination/coordinate', {
          customer_id: 'crash',
          recommendations: [pending],
          auto_approve: false,
          execute_now: true,
        })
      ).status,
    ).toBe(200);
    const view = (await agent.call<{ approval_id: string }>('GET', '/coordination/recommendations/rec-wait')).body;
    const link = await emailedReviewLink(first.url, approver.email, view.approval_id, 15_000);
    expect(link).toBeDefined();
    // The email is published before the approval is marked notified (never lose a request), so a
    // crash between the two would rightly send it again: crash only once the mark is stored.
    await eventually(
      'the approval to be marked notified',
      async () => ((await approvalItem(first.output, 'crash', view.approval_id))?.notified_at ? true : undefined),
      15_000,
    );

    const killedAt = Date.now();
    const code = await kill(signal);
    if (signal === 'SIGINT') {
      expect(code).toBe(0);
      // Nothing ran against the table while it was stopping.
      expect(first.output.join('\n')).not.toMatch(/ECONNREFUSED|execution-ended failed|exited unexpectedly/);
    }
    const second = await start(port, dataDir);
    const after = arbiterClient(second.url, api_key);

    const ended = await eventually(
      'the interrupted plan to end',
      async () => {
        const plan = await planOf(after, planId);
        return ['pending', 'running'].includes(plan.status) ? undefined : plan;
      },
      60_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(60_000); // the stop and the restart included
    expect(ended.status).toBe('failed');
    expect(ended.steps.map((s) => s.status)).toEqual(['rolled_back', 'failed']);
    const rec = (
      await after.call<{ status: string; history: { reason: string }[] }>(
        'GET',
        '/coordination/recommendations/rec-run',
      )
    ).body;
    expect(rec.status).toBe('failed');
    expect(rec.history.at(-1)?.reason).toMatch(/^interrupted: /);

    // Its resource is free: a newcomer on it runs to completion.
    const again = await after.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: 'crash',
      recommendations: [{ ...running, id: 'rec-again', steps: undefined, action: 'resize_disk' }],
      auto_approve: true,
      execute_now: true,
    });
    const againPlan = again.body.execution_plans[0].id;
    expect(
      (
        await eventually(
          'the newcomer to end',
          async () => {
            const plan = await planOf(after, againPlan);
            return ['pending', 'running'].includes(plan.status) ? undefined : plan;
          },
          30_000,
        )
      ).status,
    ).toBe('completed');

    // The link emailed before the crash still decides; the approved plan then runs.
    const url = new URL(link!);
    const form = {
      approver: url.searchParams.get('approver') ?? '',
      expires: url.searchParams.get('expires') ?? '',
      sig: url.searchParams.get('sig') ?? '',
      decision: 'approve',
    };
    const decided = await fetch(new URL('decision', url), { method: 'POST', body: new URLSearchParams(form) });
    expect(decided.status).toBe(200);
    const approved = await eventually(
      'rec-wait to complete',
      async () => {
        const { body } = await after.call<{ status: string }>('GET', '/coordination/recommendations/rec-wait');
        return ['completed', 'failed', 'rolled_back', 'rejected', 'expired'].includes(body.status) ? body : undefined;
      },
      30_000,
    );
    expect(approved.status).toBe('completed');
    // The repaired workflow asked for the approval again (its decision reached it) without emailing
    // the approver a second time: one request in the outbox, kept across the restart.
    const outbox = await fetch(`${second.url}/local/outbox?approver=${encodeURIComponent(approver.email)}`).then(
      (r) => r.json() as Promise<{ attributes: Record<string, string> }[]>,
    );
    expect(
      outbox.filter((m) => m.attributes.approval_id === view.approval_id && m.attributes.kind !== 'operator_alert'),
    ).toHaveLength(1);
  });
});
