// The `arbiter` CLI (cli/arbiter.mjs, the package's bin) as a user runs it, against the local stack:
// registering, the policy, coordinating from a file and from stdin, approving, executing, and
// `plans watch` following plans to their end (exit 0 for completed, non-zero for a rollback);
// refusals print Arbiter's fields and exit non-zero.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailedReviewLink } from '../../local/arbiter-client.js';
import { stackForFile } from '../support/local-stack.js';

const stack = stackForFile();
let files: string;
const customer = `cli-${randomUUID().slice(0, 8)}`;
const approverEmail = `approver@${customer}.example.com`;
const keys = { agent: '', approver: '' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without anything Arbiter-related the test process has (the stack sets ARBITER_ADMIN_KEY). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ARBITER_')));
}

/** Runs `arbiter ...args` through the bin; `key` as ARBITER_KEY (none: no key at all). */
function arbiter(args: string[], options: { key?: string; input?: string; command?: string[] } = {}): Promise<Run> {
  const [command, ...prefix] = options.command ?? [process.execPath, 'cli/arbiter.mjs'];
  const child = spawn(command, [...prefix, ...args], {
    env: { ...cleanEnv(), ARBITER_URL: stack.url, ...(options.key ? { ARBITER_KEY: options.key } : {}) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs and expects exit 0, giving stdout. */
async function ok(args: string[], options: Parameters<typeof arbiter>[1] = {}): Promise<string> {
  const run = await arbiter(args, options);
  expect(run, `arbiter ${args.join(' ')}`).toMatchObject({ code: 0 });
  return run.stdout;
}

function recommendation(id: string, fields: Record<string, unknown>) {
  return {
    id,
    agent_id: 'cli-agent',
    agent_type: 'cost',
    type: 'cost',
    title: `${id} from the CLI`,
    action: 'resize_disk',
    risk_level: 'low',
    affected_resources: [`vol-${id}`],
    priority: 5,
    confidence: 0.9,
    ...fields,
  };
}

beforeAll(() => {
  files = mkdtempSync(join(tmpdir(), 'arbiter-cli-'));
});

afterAll(() => {
  rmSync(files, { recursive: true, force: true });
});

// Each run starts node and tsx: about 1 s on an idle machine, several on a loaded one.
describe('arbiter', { timeout: 120_000 }, () => {
  it('registers an agent (rotating and revoking a key) and an approver, and sets and reads the policy', async () => {
    const agent = JSON.parse(
      await ok(['agents', 'register', '--agent', 'cli-agent', '--customer', customer, '--json'], {
        key: stack.adminKey,
      }),
    );
    expect(agent).toMatchObject({ agent_id: 'cli-agent', customer_id: customer, role: 'agent' });
    keys.agent = agent.api_key;
    // A rotation with a grace period leaves the first key working; the new one is then revoked.
    const rotated = JSON.parse(
      await ok(['agents', 'rotate-key', 'cli-agent', '--customer', customer, '--grace', '3600', '--json'], {
        key: stack.adminKey,
      }),
    );
    expect(rotated).toMatchObject({ agent_id: 'cli-agent', previous_valid_until: expect.any(String) });
    expect(rotated.signing_secret).not.toBe(agent.signing_secret);
    const revoked = await ok(['agents', 'revoke-key', 'cli-agent', rotated.key_id, '--customer', customer], {
      key: stack.adminKey,
    });
    expect(revoked).toBe(`key ${rotated.key_id} of cli-agent revoked\n`);

    const approver = await ok(['approvers', 'add', approverEmail, '--customer', customer], { key: stack.adminKey });
    expect(approver).toContain(`approver ${approverEmail} registered for ${customer}`);
    keys.approver = /^api_key\s+(\S+)$/m.exec(approver)![1];

    const policy = JSON.stringify({ max_concurrent_executions: 3, action_risk: { resize_disk: 'medium' } });
    const set = await ok(['policy', 'set', customer], { key: stack.adminKey, input: policy });
    expect(set).toMatch(/^max_concurrent_executions\s+3$/m);
    expect(set).toMatch(/^action_risk\s+resize_disk: medium$/m);
    const read = JSON.parse(await ok(['policy', 'get', customer, '--json'], { key: stack.adminKey }));
    expect(read).toMatchObject({ customer_id: customer, customized: true, max_concurrent_executions: 3 });
  });

  it('coordinates from a file; the approver approves; the plan is executed and watched to completion', async () => {
    const file = join(files, 'batch.json');
    const simulate = { delay_ms: 300 };
    writeFileSync(
      file,
      JSON.stringify({
        customer_id: customer,
        recommendations: [recommendation('rec-cli-1', { parameters: { simulate } })],
      }),
    );
    // A dry run says the same and stores nothing: the recommendation is still unknown after it.
    const dryRun = await ok(['coordinate', file, '--dry-run'], { key: keys.agent });
    expect(dryRun).toMatch(/^dry run \(nothing stored, nothing started\): coordination /);
    expect(dryRun).toMatch(/^rec-cli-1\s+pending_approval\s+medium\s+resize_disk/m);
    expect((await arbiter(['recs', 'get', 'rec-cli-1'], { key: keys.agent })).code).not.toBe(0);

    const coordinated = await ok(['coordinate', file], { key: keys.agent });
    expect(coordinated).toMatch(/^rec-cli-1\s+pending_approval\s+medium\s+resize_disk/m);

    const pending = JSON.parse(await ok(['recs', 'get', 'rec-cli-1', '--json'], { key: keys.agent }));
    const approvalId: string = pending.approval.id;
    await emailedReviewLink(stack.url, approverEmail, approvalId); // the approver reads the email first
    expect(await ok(['approvals', 'list'], { key: keys.approver })).toMatch(
      new RegExp(`^${approvalId}\\s+rec-cli-1\\s+medium\\s+0 of 1\\s+no`, 'm'),
    );
    expect(await ok(['approvals', 'approve', approvalId, '--user', approverEmail], { key: keys.approver })).toBe(
      `Recommendation approved (approval ${approvalId}: approved)\n`,
    );
    // The plan is made once the recommendation is approved.
    const approved = JSON.parse(await ok(['recs', 'get', 'rec-cli-1', '--json'], { key: keys.agent }));
    const planId: string = approved.plan.id;
    expect(await ok(['plans', 'execute', planId], { key: keys.agent })).toBe(`Execution started: plan ${planId}\n`);

    const watched = await ok(['plans', 'watch', planId, '--interval', '100', '--timeout', '60'], { key: keys.agent });
    expect(watched).toMatch(/step 1 resize_disk: completed/);
    expect(watched).toMatch(new RegExp(`plan ${planId}: completed`));
    expect(await ok(['recs', 'list'], { key: keys.agent })).toMatch(/^rec-cli-1\s+completed\s+medium\s+resize_disk/m);
  });

  it('submits from stdin, and watch exits non-zero for a plan that rolled back', async () => {
    const rec = recommendation('rec-cli-2', {
      action: 'tidy_volume',
      parameters: { simulate: { fail_steps: ['migrate_workload'] } },
      steps: [
        { action: 'take_snapshot', reversible: true },
        { action: 'migrate_workload', reversible: true },
      ],
    });
    const submitted = JSON.parse(
      await ok(['recs', 'submit', '--customer', customer, '--auto-approve', '--execute-now', '--json'], {
        key: keys.agent,
        input: JSON.stringify([rec]),
      }),
    );
    const planId: string = submitted.execution_plans[0].id;

    const watched = await arbiter(['plans', 'watch', planId, '--json', '--interval', '100', '--timeout', '60'], {
      key: keys.agent,
    });
    expect(watched.code).toBe(1);
    const changes = watched.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const planStatuses = changes.filter((c) => c.step === undefined).map((c) => c.status);
    expect(planStatuses.at(-1)).toBe('rolled_back');
    expect(changes).toContainEqual(
      expect.objectContaining({ step: 1, action: 'take_snapshot', status: 'rolled_back' }),
    );
    expect(changes).toContainEqual(expect.objectContaining({ step: 2, action: 'migrate_workload', status: 'failed' }));
  });

  it('prints the fields Arbiter names and exits 1; says where the key comes from on 401; usage errors exit 2', async () => {
    const file = join(files, 'bad.json');
    writeFileSync(file, JSON.stringify([recommendation('rec-bad', { risk_level: 'extreme', confidence: 2 })]));
    const refused = await arbiter(['coordinate', file, '--customer', customer], { key: keys.agent });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: 400 /);
    expect(refused.stderr).toMatch(/^ {2}recommendations\[0\]\.risk_level: /m);
    expect(refused.stderr).toMatch(/^ {2}recommendations\[0\]\.confidence: /m);

    const asJson = await arbiter(['coordinate', file, '--customer', customer, '--json'], { key: keys.agent });
    expect(asJson.code).toBe(1);
    const error = JSON.parse(asJson.stderr);
    expect(error.status).toBe(400);
    expect(error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['recommendations[0].risk_level', 'recommendations[0].confidence']),
    );

    const noKey = await arbiter(['recs', 'list']);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^error: 401 /);
    expect(noKey.stderr).toContain('ARBITER_KEY');

    const missingOption = await arbiter(['agents', 'register', '--agent', 'x'], { key: stack.adminKey });
    expect(missingOption.code).toBe(2);
    expect(missingOption.stderr).toContain("required option '--customer <id>' not specified");
    const nothingPiped = await arbiter(['coordinate', '--customer', customer], { key: keys.agent });
    expect([nothingPiped.code, nothingPiped.stderr]).toEqual([
      2,
      'error: give the recommendations as a file, or pipe it on stdin\n',
    ]);
  });

  it('is the package’s bin: npx arbiter --help lists the commands', async () => {
    const help = await ok(['--help'], { command: ['npx', '--offline', 'arbiter'] });
    for (const command of ['agents', 'approvers', 'coordinate', 'recommendations|recs', 'approvals', 'plans', 'policy'])
      expect(help).toContain(`  ${command}`);
  });
});
