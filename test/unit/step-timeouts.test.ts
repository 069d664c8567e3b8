// The agent request always gives up before the step's Step Functions task times out, so an answer
// that comes is delivered to a task still waiting (issue 7 §2).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestTimeoutMs } from '../../functions/core/use-cases/dispatch-step.js';

describe('agent request timeout', () => {
  it('is shorter than the step timeout for every allowed step timeout, leaving a fifth of it (at least 200 ms) to record the answer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 86_400 }), (seconds) => {
        const ms = requestTimeoutMs(seconds);
        expect(ms).toBeGreaterThan(0);
        expect(seconds * 1000 - ms).toBeGreaterThanOrEqual(Math.min(200, seconds * 200));
      }),
    );
  });

  it('is at most 25 s: longer work answers 202 and calls back', () => {
    expect(requestTimeoutMs(300)).toBe(25_000);
    expect(requestTimeoutMs(10)).toBe(8_000);
    expect(requestTimeoutMs(1)).toBe(800);
  });
});
