// The AgentCircuits port: each agent's circuit breaker, counted in the table per customer and agent.

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface Circuit {
  state: CircuitState;
  /** Consecutive transient failures and timeouts since the last success. */
  failures: number;
  opened_at?: string;
  /** When the half-open trial dispatch was let through. */
  trial_at?: string;
}

export interface AgentCircuits {
  getCircuit(customerId: string, agentId: string): Promise<Circuit>;
  /** Counts a failure; opens the circuit at `threshold`. Says which change this call made (at most one caller each). */
  recordAgentFailure(
    customerId: string,
    agentId: string,
    threshold: number,
    at: string,
  ): Promise<'opened' | 'reopened' | 'counted'>;
  /** Resets the count; `closed` when this call closed an open or half-open circuit. */
  recordAgentSuccess(customerId: string, agentId: string): Promise<'closed' | 'unchanged'>;
  /** Lets one trial through an open circuit whose cool-down ended (or whose trial was lost): true for exactly one caller. */
  claimAgentTrial(customerId: string, agentId: string, coolDownEndedBy: string, at: string): Promise<boolean>;
}
