// Ports of who may call: agents, approvers and their keys.
import type { Principal } from './access.js';

export interface AgentRecord {
  agent_id: string;
  customer_id: string;
  /** An orchestrator's key may act for any agent of its customer. */
  role?: 'agent' | 'orchestrator';
  endpoint_url?: string;
  signing_secret: string;
  created_at: string;
}

export interface CredentialStore {
  /** The principal of an issued key, looked up by the key's hash. */
  findPrincipal(keyHash: string): Promise<Principal | undefined>;
  /** Stores the agent and its key hash together; throws StateConflict if the agent exists. */
  registerAgent(agent: AgentRecord, keyHash: string): Promise<void>;
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
  /** Stores the approver and its key hash together; throws StateConflict if the email is already an approver of the customer. */
  registerApprover(approver: ApproverRecord, keyHash: string): Promise<void>;
  listApprovers(customerId: string): Promise<ApproverRecord[]>;
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
