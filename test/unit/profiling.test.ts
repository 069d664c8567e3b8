import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { enableProfiling, InvocationProfile, Tally } from '../../local/profiling.js';

afterEach(() => vi.restoreAllMocks());

describe('Tally', () => {
  it('sums the calls and counts the wall time during which at least one was under way', () => {
    const clock = vi.spyOn(performance, 'now');
    const tally = new Tally();
    clock.mockReturnValue(0);
    const first = tally.begin();
    clock.mockReturnValue(5);
    const second = tally.begin();
    clock.mockReturnValue(10);
    tally.end(first);
    clock.mockReturnValue(20);
    tally.end(second);
    expect(tally).toMatchObject({ count: 2, sumMs: 25, wallMs: 20 });
    clock.mockReturnValue(30);
    const third = tally.begin();
    clock.mockReturnValue(35);
    tally.end(third);
    expect(tally).toMatchObject({ count: 3, sumMs: 30, wallMs: 25 });
  });
});

describe('enableProfiling', () => {
  // Nothing listens on port 1: each call fails at once, and is still counted where it was made.
  const client = new SFNClient({
    endpoint: 'http://127.0.0.1:1',
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const list = () => client.send(new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:local:1:x' }));

  it('counts an SDK call against the invocation it was made in, and others as background', async () => {
    const profiler = enableProfiling();
    profiler.reset();
    const invocation = new InvocationProfile('POST /things');
    await invocation.handle(async () => {
      await Promise.allSettled([list(), list()]);
    });
    await list().catch(() => undefined);
    expect(invocation.sdk.get('stepfunctions')?.count).toBe(2);
    expect(invocation.sdk.get('stepfunctions ListExecutionsCommand')?.count).toBe(2);
    expect(invocation.http.get('stepfunctions')?.count).toBe(2);
    expect(profiler.background.sdk.get('stepfunctions')?.count).toBe(1);
    expect(invocation.handlerMs).toBeGreaterThan(0);
  });
});
