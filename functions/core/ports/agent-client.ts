// The AgentClient port: how the core dispatches a plan step to an agent (functions/adapters/agent-client.ts
// does it over HTTP). What crosses the wire is in protocol/agent-steps.ts; the errors in workflow-contract.ts.
import type { StepReport, StepRequest } from '../protocol/agent-steps.js';

export interface AgentTarget {
  endpoint: string;
  secret: string;
  /** The local stack's simulated agents, standing in for an agent that has no endpoint. */
  simulated: boolean;
}

/** The agent's answer: its report now (200), or a promise to call back with it (202). */
export type Dispatch = { kind: 'reported'; report: StepReport } | { kind: 'accepted' };

export interface AgentClient {
  send(target: AgentTarget, request: StepRequest, timeoutMs: number): Promise<Dispatch>;
}
