// Failure injection: a recommendation's `parameters.simulate` reaches every step of its plan and
// tells the simulated agents how to misbehave. Unknown keys are refused, so a typo ("fail_step")
// fails loudly instead of quietly simulating nothing.
import { z } from 'zod';
import { describeIssues } from '../../functions/core/protocol/agent-steps.js';

/** A delayed answer keeps a connection (and locally a Lambda stand-in) waiting: keep it short. */
export const MAX_DELAY_MS = 30_000;

const SimulationSchema = z
  .object({
    /** Actions that fail in execute mode (200 with status failed). */
    fail_steps: z.array(z.string()).default([]),
    /** Actions whose rollback fails. */
    fail_rollback: z.array(z.string()).default([]),
    /** Answer (or, with async, call back) after this long. */
    delay_ms: z.number().int().min(0).max(MAX_DELAY_MS).default(0),
    /** Answer 202 and report to the callback URL instead. */
    async: z.boolean().default(false),
    /** Actions whose agent is down: every request for them answers 503 (what opens a circuit breaker). */
    unavailable_steps: z.array(z.string()).default([]),
    /** Answer 503 this many times per step before doing it. */
    transient_failures: z.number().int().min(0).max(100).default(0),
    /** Pad each executed step's result so that result and rollback data take this many bytes of JSON (the largest Arbiter accepts is 65,536). */
    result_bytes: z
      .number()
      .int()
      .min(0)
      .max(1024 * 1024)
      .default(0),
  })
  .strict();

export type Simulation = z.infer<typeof SimulationSchema>;

export function parseSimulation(parameters: Record<string, unknown>): { simulation: Simulation } | { error: string } {
  const parsed = SimulationSchema.safeParse(parameters.simulate ?? {});
  return parsed.success
    ? { simulation: parsed.data }
    : { error: `parameters.simulate: ${describeIssues(parsed.error)}` };
}
