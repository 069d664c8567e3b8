// Ports of who may call: agents, approvers and their keys.
import type { Principal } from './access.js';
import type { IssuedKey } from './keys.js';

export interface AgentRecord {
  agent_id: string;
  customer_id: string;
  /** An orchestrator's key may act for any agent of its customer. */
  role?: 'agent' | 'orchestrator';
  endpoint_url?: string;
  signing_secret: string;
  /**
   * After a rotation with a grace period, the previous secret and until when callbacks signed with
   * it should still be accepted (the callback check in step-runner.ts has to try it).
   */
  previous_signing_secret?: string;
  previous_signing_secret_until?: string;
  created_at: string;
}

export interface CredentialStore {
  /** The principal of an issued key, looked up by the key's hash. */
  findPrincipal(keyHash: string): Promise<Principal | undefined>;
  /** Stores the agent and its first key together; throws StateConflict if the agent exists. */
  registerAgent(agent: AgentRecord, key: IssuedKey): Promise<void>;
}

export interface ApproverRecord {
  approver_id: string;
  customer_id: string;
  email: string;
  name?: string;
  subscription?: string;
  created_at: string;
}

export interface ApproverStore {
  /** Stores the approver and its first key together; throws StateConflict if the email is already an approver of the customer. */
  registerApprover(approver: ApproverRecord, key: IssuedKey): Promise<void>;
  listApprovers(customerId: string): Promise<ApproverRecord[]>;
  approverIdByEmail(customerId: string, email: string): Promise<string | undefined>;
  findApprover(approverId: string): Promise<ApproverRecord | undefined>;
  setSubscription(customerId: string, approverId: string, subscription: string): Promise<void>;
}

export interface AgentDirectory {
  getAgent(customerId: string, agentId: string): Promise<AgentRecord | undefined>;
}

export interface RegisteredAgents {
  /** Which of `agentIds` are registered to the customer. */
  registeredAgents(customerId: string, agentIds: readonly string[]): Promise<Set<string>>;
}
