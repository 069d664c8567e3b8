// Circuit breakers around agents: whether a step may be dispatched to its agent now, counting each
// dispatch's outcome, and one operator alert when a circuit opens and one when it closes.
import type { PlanStep } from '../model/records.js';
import type { AgentCircuits, Circuit } from '../ports/agent-circuits.js';
import type { Clock } from '../ports/clock.js';
import type { AgentDirectory, PolicyStore } from '../ports/index.js';
import type { Notifier } from '../ports/notifier.js';
import { type CircuitBreakerPolicy, DEFAULT_POLICY, policyFrom } from '../rules/policy.js';

/** A half-open circuit's trial is under way: others look again this soon (or at the cool-down's end, if sooner). */
const TRIAL_RECHECK_SECONDS = 5;

export interface CircuitDeps {
  /** The agent directory; it counts the circuits too where it can (the table's credential store does). */
  agents: AgentDirectory & Partial<AgentCircuits>;
  policies?: PolicyStore;
  notifier?: Notifier;
  clock: Clock;
}

function circuitsOf(agents: CircuitDeps['agents']): AgentCircuits | undefined {
  const { getCircuit, recordAgentFailure, recordAgentSuccess, claimAgentTrial } = agents;
  return getCircuit && recordAgentFailure && recordAgentSuccess && claimAgentTrial
    ? (agents as AgentCircuits)
    : undefined;
}

async function breakerPolicy(customerId: string, deps: CircuitDeps): Promise<CircuitBreakerPolicy> {
  return deps.policies
    ? policyFrom(await deps.policies.getPolicy(customerId)).circuit_breaker
    : DEFAULT_POLICY.circuit_breaker;
}

export type Gate = { go: true } | { go: false; wait_seconds: number };

/**
 * The one rule for how long a circuit keeps its agent's steps waiting, in seconds (0: a trial may be
 * claimed now). Open: what is left of the cool-down since it opened. Half-open: a trial is under way;
 * the others look again soon, and a trial lost for a whole cool-down may be claimed again. With no
 * time recorded there is no cool-down to wait out, and the trial claim decides: counting a cool-down
 * from "now" would start it again at every look, so it would never end.
 */
export function circuitWaitSeconds(circuit: Circuit, coolDownSeconds: number, now: Date): number {
  if (circuit.state === 'closed') return 0;
  const since = Date.parse((circuit.state === 'open' ? circuit.opened_at : circuit.trial_at) ?? '');
  if (Number.isNaN(since)) return 0;
  const left = Math.ceil((since + coolDownSeconds * 1000 - now.getTime()) / 1000);
  if (left <= 0) return 0;
  return circuit.state === 'open' ? left : Math.min(left, TRIAL_RECHECK_SECONDS);
}

/** Closed: go. Open: wait out the cool-down, then one trial goes (half-open) while the others wait. */
export async function passCircuit(customerId: string, agentId: string, deps: CircuitDeps): Promise<Gate> {
  const circuits = circuitsOf(deps.agents);
  if (!circuits) return { go: true };
  const circuit = await circuits.getCircuit(customerId, agentId);
  if (circuit.state === 'closed') return { go: true };
  const { cool_down_seconds } = await breakerPolicy(customerId, deps);
  const now = deps.clock.now();
  const wait = circuitWaitSeconds(circuit, cool_down_seconds, now);
  if (wait > 0) return { go: false, wait_seconds: wait };
  const endedBy = new Date(now.getTime() - cool_down_seconds * 1000).toISOString();
  if (await circuits.claimAgentTrial(customerId, agentId, endedBy, now.toISOString())) return { go: true };
  return { go: false, wait_seconds: Math.min(cool_down_seconds, TRIAL_RECHECK_SECONDS) };
}

/**
 * Before a plan takes its locks: how long its first steps' agents stay unavailable, without claiming
 * the half-open trial (the dispatch claims it). Undefined when every one of them may be tried now.
 * `breaker`: the customer's policy, as the caller already read it.
 */
export async function agentsUnavailable(
  customerId: string,
  agentIds: readonly string[],
  breaker: Pick<CircuitBreakerPolicy, 'cool_down_seconds'>,
  deps: Pick<CircuitDeps, 'agents' | 'clock'>,
): Promise<{ agent_id: string; wait_seconds: number } | undefined> {
  const circuits = circuitsOf(deps.agents);
  if (!circuits) return undefined;
  const now = deps.clock.now();
  for (const agentId of new Set(agentIds)) {
    const wait = circuitWaitSeconds(await circuits.getCircuit(customerId, agentId), breaker.cool_down_seconds, now);
    if (wait > 0) return { agent_id: agentId, wait_seconds: wait };
  }
  return undefined;
}

/** Counts a dispatch: reached (any answer of the agent's) or a transient failure or timeout. */
export async function countDispatch(customerId: string, agentId: string, reached: boolean, deps: CircuitDeps) {
  const circuits = circuitsOf(deps.agents);
  if (!circuits) return;
  if (reached) {
    if ((await circuits.recordAgentSuccess(customerId, agentId)) === 'closed')
      await alert(
        customerId,
        agentId,
        'closed',
        'it answered its trial dispatch: steps are dispatched to it again',
        deps,
      );
    return;
  }
  const { failures, cool_down_seconds } = await breakerPolicy(customerId, deps);
  const change = await circuits.recordAgentFailure(customerId, agentId, failures, deps.clock.now().toISOString());
  if (change === 'opened')
    await alert(
      customerId,
      agentId,
      'open',
      `${failures} dispatches in a row failed or timed out: its steps wait (${cool_down_seconds} s cool-down, then one trial)`,
      deps,
    );
}

async function alert(customerId: string, agentId: string, state: 'open' | 'closed', why: string, deps: CircuitDeps) {
  await deps.notifier?.publish({
    subject: `Arbiter: agent ${agentId} circuit ${state}`,
    text: `The circuit of agent ${agentId} (customer ${customerId}) is ${state}: ${why}.`,
    attributes: { kind: 'operator_alert', circuit: state, customer_id: customerId, agent_id: agentId },
  });
}

/** What GET /admin/agents/{agent_id} shows of the circuit. */
export async function viewAgentCircuit(
  customerId: string,
  agentId: string,
  deps: CircuitDeps,
): Promise<Circuit & { agent_id: string; cool_down_ends_at?: string }> {
  const circuits = circuitsOf(deps.agents);
  const circuit: Circuit = circuits ? await circuits.getCircuit(customerId, agentId) : { state: 'closed', failures: 0 };
  if (circuit.state !== 'open' || !circuit.opened_at) return { agent_id: agentId, ...circuit };
  const { cool_down_seconds } = await breakerPolicy(customerId, deps);
  const ends = new Date(Date.parse(circuit.opened_at) + cool_down_seconds * 1000).toISOString();
  return { agent_id: agentId, ...circuit, cool_down_ends_at: ends };
}

/** How long a step has waited for its agent, and how much of its own timeout is left (ms). */
export function agentWaitLeftMs(step: Pick<PlanStep, 'agent_wait_since' | 'timeout_seconds'>, now: Date): number {
  const since = step.agent_wait_since ? Date.parse(step.agent_wait_since) : now.getTime();
  return since + step.timeout_seconds * 1000 - now.getTime();
}
