// One rule for how long a circuit keeps its agent's steps waiting: the dispatch gate (passCircuit) and
// the look before the locks (agentsUnavailable) agree, including a circuit with no time recorded.
import { describe, expect, it } from 'vitest';
import type { Circuit } from '../../functions/core/ports/agent-circuits.js';
import { agentsUnavailable, circuitWaitSeconds, passCircuit } from '../../functions/core/use-cases/agent-circuit.js';
import { NOW } from './fixtures.js';
import { CUSTOMER, fixedClock, memoryCircuits, memoryPolicies } from './in-memory-ports.js';

const COOL_DOWN = 300;
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

const CASES: [string, Circuit, number][] = [
  ['open, 100 s into its cool-down', { state: 'open', failures: 5, opened_at: ago(100) }, 200],
  ['open, cool-down over', { state: 'open', failures: 5, opened_at: ago(301) }, 0],
  ['half-open, its trial under way', { state: 'half_open', failures: 5, trial_at: ago(10) }, 5],
  ['half-open, its trial lost', { state: 'half_open', failures: 5, trial_at: ago(400) }, 0],
  ['open with no opened_at', { state: 'open', failures: 5 }, 0],
  ['half-open with no trial_at', { state: 'half_open', failures: 5 }, 0],
  ['closed', { state: 'closed', failures: 2 }, 0],
];

describe('circuitWaitSeconds', () => {
  it.each(CASES)('%s → waits %i s', (_, circuit, wait) => {
    expect(circuitWaitSeconds(circuit, COOL_DOWN, NOW)).toBe(wait);
  });
});

describe('the dispatch gate and the look before the locks', () => {
  const deps = (circuit: Circuit, trials = true) => ({
    agents: memoryCircuits({ a1: circuit }, trials),
    policies: memoryPolicies({ circuit_breaker: { failures: 5, cool_down_seconds: COOL_DOWN } }),
    clock: fixedClock(),
  });

  it.each(CASES)('%s: both wait the same', async (_, circuit, wait) => {
    const gate = await passCircuit(CUSTOMER, 'a1', deps(circuit));
    const before = await agentsUnavailable(CUSTOMER, ['a1'], { cool_down_seconds: COOL_DOWN }, deps(circuit));
    if (wait === 0) {
      // Nothing to wait out: the dispatch claims the trial (here granted), the look before the locks lets it go.
      expect(gate).toEqual({ go: true });
      expect(before).toBeUndefined();
    } else {
      expect(gate).toEqual({ go: false, wait_seconds: wait });
      expect(before).toEqual({ agent_id: 'a1', wait_seconds: wait });
    }
  });

  it('an open circuit with no opened_at whose trial is refused looks again soon, not after a full cool-down', async () => {
    const gate = await passCircuit(CUSTOMER, 'a1', deps({ state: 'open', failures: 5 }, false));
    expect(gate).toEqual({ go: false, wait_seconds: 5 });
  });

  it('reads no policy for the look before the locks (the caller passes it)', async () => {
    const d = deps({ state: 'open', failures: 5, opened_at: ago(10) });
    await agentsUnavailable(CUSTOMER, ['a1', 'a1', 'a2'], { cool_down_seconds: COOL_DOWN }, d);
    expect(d.policies.calls.getPolicy).toBe(0);
  });
});
