// `npm start`'s log (issue 9 §4): one readable line per request and per workflow task, each labelled
// with the function that ran it, step tasks named after the plan's step, no JSON and no key or
// signature in it; LOG_FORMAT=json gives the functions' JSON as Lambda writes it.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { arbiterClient, eventually, registerAgent } from '../../local/arbiter-client.js';

const ROOT = new URL('../../', import.meta.url);
const ADMIN_KEY = `arb_admin_${'l'.repeat(40)}`;
let child: ChildProcess | undefined;

afterEach(async () => {
  const running = child;
  child = undefined;
  if (!running?.pid || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  process.kill(-running.pid, 'SIGKILL');
  await exited;
});

/** `npm start` on a free port, as a developer runs it; its output line by line. */
async function start(env: Record<string, string> = {}): Promise<{ url: string; lines: string[] }> {
  const lines: string[] = [];
  let partial = '';
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ARBITER_ADMIN_KEY: ADMIN_KEY, ...env },
  });
  for (const stream of [child.stdout!, child.stderr!])
    stream.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
  const url = await eventually(
    'the banner',
    async () => lines.map((line) => /^\s+API\s+(http:\/\/\S+)/.exec(line)?.[1]).find(Boolean),
    90_000,
  );
  return { url, lines };
}

/** A low-risk migration to spot, approved by policy and run at once: three steps. */
async function runPlan(url: string): Promise<string> {
  const admin = arbiterClient(url, ADMIN_KEY);
  const { api_key } = await registerAgent(admin, 'cost-agent-1', 'log-customer');
  const agent = arbiterClient(url, api_key);
  const reply = await agent.call('POST', '/coordination/coordinate', {
    customer_id: 'log-customer',
    auto_approve: true,
    execute_now: true,
    recommendations: [
      {
        id: 'rec-log',
        agent_id: 'cost-agent-1',
        agent_type: 'cost',
        type: 'cost',
        title: 'Move to spot',
        action: 'migrate_to_spot',
        risk_level: 'low',
        affected_resources: ['asg-log'],
        priority: 5,
        confidence: 0.9,
      },
    ],
  });
  expect(reply.status).toBe(200);
  return api_key;
}

const afterBanner = (lines: string[]) => lines.slice(lines.findIndex((line) => line.startsWith('Ctrl-C')) + 1);

describe('the local log', () => {
  it('is one labelled line per request and per task, steps named, no JSON and no secret', {
    timeout: 180_000,
  }, async () => {
    const { url, lines } = await start();
    const apiKey = await runPlan(url);
    await eventually(
      'the last step in the log',
      async () => lines.find((line) => /^dispatch-step\s+Run step 3: validate_quality\s+\d+ ms/.test(line)),
      60_000,
    );
    await eventually(
      'the outcome in the log',
      async () => lines.find((line) => /^record-outcome\s+Release locks and record completion\s+\d+ ms/.test(line)),
      30_000,
    );
    const log = afterBanner(lines);
    expect(log).toContainEqual(expect.stringMatching(/^admin\s+POST \/admin\/agents 201\s+\d+ ms/));
    expect(log).toContainEqual(
      expect.stringMatching(/^coordinate\s+POST \/coordination\/coordinate 200\s+\d+ ms {2}· coordinated/),
    );
    for (const step of ['Run step 1: take_snapshot', 'Run step 2: migrate_workload', 'Run step 3: validate_quality'])
      expect(log.filter((line) => line.startsWith('dispatch-step') && line.includes(`${step} `))).toHaveLength(1);
    expect(log).toContainEqual(expect.stringMatching(/^resource-locks\s+Acquire resource locks\s+\d+ ms/));
    expect(log.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(log.join('\n')).not.toContain(apiKey);
    expect(log.join('\n')).not.toContain(ADMIN_KEY);
  });

  it('with LOG_FORMAT=json: the functions’ JSON as on AWS, and each request as a JSON line', {
    timeout: 180_000,
  }, async () => {
    const { url, lines } = await start({ LOG_FORMAT: 'json' });
    await runPlan(url);
    const coordinated = await eventually(
      'the coordinate request',
      async () => lines.find((line) => line.includes('"function":"coordinate"')),
      30_000,
    );
    expect(JSON.parse(coordinated)).toMatchObject({ function: 'coordinate', message: 'POST /coordination/coordinate' });
    const powertools = afterBanner(lines)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(powertools).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'coordinated', service: 'arbiter' }),
    );
  });
});
