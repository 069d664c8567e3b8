import { describe, expect, it } from 'vitest';
import { HandlerNotFound, loadHandler } from '../../local/handlers.js';

describe('loadHandler (local/handlers.ts)', () => {
  it('imports functions/<name>/handler.ts once and keeps it', async () => {
    const first = loadHandler('health');
    expect(loadHandler('health')).toBe(first);
    const { handler } = await import('../../functions/health/handler.js');
    expect(await first).toBe(handler);
  });

  it('refuses a name that could leave functions/, before importing anything', async () => {
    for (const name of ['../shared/runtime', 'health/../admin', 'Health', '', 'a b']) {
      await expect(loadHandler(name)).rejects.toBeInstanceOf(HandlerNotFound);
    }
  });

  it('reports a function that does not exist, and looks again at the next call', async () => {
    const missing = loadHandler('no-such-function');
    await expect(missing).rejects.toThrow(new HandlerNotFound('no-such-function'));
    const again = loadHandler('no-such-function');
    expect(again).not.toBe(missing);
    await expect(again).rejects.toBeInstanceOf(HandlerNotFound);
  });
});
