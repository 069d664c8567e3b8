// Ports of who may call: agents, approvers and their keys.

export interface AgentRecord {
  agent_id: string;
  customer_id: string;
  /** An orchestrator's key may act for any agent of its customer. */
  role?: 'agent' | 'orchestrator';
  endpoint_url?: string;
  signing_secret: string;
  /**
   * After a rotation with a grace period, the previous secret and until when callbacks signed with
   * it should still be accepted (the callback check in use-cases/accept-callback.ts has to try it).
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

/** Seals secrets before they are stored and opens them when read (adapters/secret-cipher.ts). */
export interface SecretCipher {
  seal(plain: string): Promise<string>;
  open(stored: string): Promise<string>;
}

export interface IssuedKey {
  key_id: string;
  key_hash: string;
  created_at: string;
  /** Set when a rotation put it on notice; it stops working then. */
  expires_at?: string;
}

export interface KeyOwner {
  kind: 'agent' | 'approver';
  customer_id: string;
  id: string;
}

export interface OwnerKeys {
  keys: IssuedKey[];
  /** Who the owner's keys act as. */
  principal: Principal;
}

export interface KeyRotation {
  owner: KeyOwner;
  principal: Principal;
  issued: IssuedKey;
  /** The owner's keys as read; the change applies only if they are unchanged. */
  read: IssuedKey[];
  /** Keys that keep working until their expires_at. */
  expiring: IssuedKey[];
  /** Keys removed now (grace 0, or already expired). */
  removed: IssuedKey[];
  /** An agent's new signing secret, and until when the previous one is still accepted. */
  signingSecret?: { secret: string; previousUntil?: string };
}

export interface KeyStore {
  /** The owner's keys; undefined when there is no such agent or approver. */
  keysOf(owner: KeyOwner): Promise<OwnerKeys | undefined>;
  /** False when the owner's keys changed since `read` (another rotation or revocation). */
  rotate(change: KeyRotation): Promise<boolean>;
  /** Removes one key; false when the owner's keys changed since `read`. */
  revoke(owner: KeyOwner, read: IssuedKey[], key: IssuedKey): Promise<boolean>;
}

export type Principal =
  | { role: 'anonymous' }
  | { role: 'admin' }
  /** `orchestrator`: may submit for any agent registered to its customer, not only its own. */
  | { role: 'agent'; customer_id: string; agent_id: string; orchestrator?: boolean }
  | { role: 'approver'; customer_id: string; approver_id: string; email: string };
