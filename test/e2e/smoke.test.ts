// scripts/smoke.ts against the local stack: every check passes, including the opt-in coordinate, and a
// wrong admin key fails it (exit 1), so the script can tell a broken deployment from a working one.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stackForFile, startTestStack } from '../support/local-stack.js';

const run = promisify(execFile);
const stack = stackForFile(() => startTestStack({ adminKey: `admin-${randomUUID()}` }));

const smoke = (...args: string[]) =>
  run('node', ['--import', 'tsx', 'scripts/smoke.ts', '--url', stack.url, ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

describe('npm run smoke', () => {
  it('passes against a working stack', async () => {
    const { code, stdout } = await smoke('--admin-key', stack.adminKey, '--coordinate');
    expect(stdout).not.toContain('FAIL');
    expect(stdout).toContain('ok   coordinate (throwaway customer)');
    expect(stdout).toContain('smoke: all checks passed');
    expect(code).toBe(0);
  });

  it('fails, naming the check, with a wrong admin key', async () => {
    const { code, stdout } = await smoke('--admin-key', 'not-the-key');
    expect(stdout).toMatch(/^FAIL admin key: /m);
    expect(code).toBe(1);
  });
});
