// The README's "Try it" walkthrough, run as a reader would: its first block (`npm start`) in one shell,
// its second block line by line in another (bash -eu -o pipefail: any failing line fails the test), with
// nothing of this process's environment but PATH, HOME and the PORT a reader may set. Edit the README and
// this test runs the new text.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../local/arbiter-client.js';
import { freePort } from '../../local/dynamodb.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shell blocks of the README section `## Try it`, in order. */
function walkthroughBlocks(): string[] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const start = readme.indexOf('\n## Try it\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('README has no "## Try it" section');
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

let stack: ChildProcess | undefined;

afterAll(async () => {
  if (stack?.pid && stack.exitCode === null) {
    const exited = new Promise((resolve) => stack?.once('exit', resolve));
    process.kill(-stack.pid, 'SIGKILL');
    await exited;
  }
  rmSync(`${ROOT}coordination.json`, { force: true });
});

function run(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // stdin not a socket: bash would take it for a remote shell and read /etc/bash.bashrc.
    const shell = spawn('bash', ['-eu', '-o', 'pipefail', '-c', script], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [shell.stdout, shell.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk));
    shell.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the README walkthrough', () => {
  it('starts the stack, coordinates examples/batch.json, approves from the outbox, executes and watches to completed; the demo plays against that stack', {
    timeout: 240_000,
  }, async () => {
    const blocks = walkthroughBlocks();
    expect(blocks).toHaveLength(2);
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(await freePort()) };

    let banner = '';
    stack = spawn('bash', ['-eu', '-c', blocks[0]], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [stack.stdout, stack.stderr]) stream?.on('data', (chunk: Buffer) => (banner += chunk));
    const url = `http://127.0.0.1:${env.PORT}`;
    // Ready as a reader sees it: the banner names the URL (it prints once everything started).
    await eventually(
      'the first block to print the banner with the API on PORT',
      async () => banner.includes(`API        ${url}`) || undefined,
      90_000,
    );
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const { code, output } = await run(blocks[1], env);
    expect(output, output).toMatch(/"conflicts_detected": 1/);
    expect(output).toMatch(/"id": "rec-scale-web-1"/); // not kept, with its reason
    expect(output).toMatch(/"subject": "Approval needed \(medium risk\): Move web-1 and web-2 to spot"/);
    expect(output).toMatch(/Recommendation approved/);
    expect(output).toMatch(/plan plan_\S+ of rec-spot-web-1: completed/);
    expect(output).toContain(`Console: ${url}/local/console`);
    expect(code, output).toBe(0);

    // `npm run demo` finds that running stack on PORT instead of starting its own.
    const adminKey = /export ARBITER_ADMIN_KEY=(\S+)/.exec(blocks[0])?.[1];
    const demo = await run('npm run --silent demo', { ...env, ARBITER_ADMIN_KEY: adminKey });
    expect(demo.output).toContain(`Arbiter demo against ${url}, customer`);
    expect(demo.output).toContain('All as expected.');
    expect(demo.code, demo.output).toBe(0);
  });
});
