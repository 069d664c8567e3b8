// What the core needs from the outside world. Adapters implement these on DynamoDB and AWS;
// tests pass in-memory or local ones.
import type { Approval, Conflict, ExecutionPlan, HistoryEntry, Recommendation } from './model.js';
import type { PolicyInput, RecommendationStatus } from './schemas.js';
import type { Principal } from './access.js';

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique id starting with `prefix` (e.g. `apr_`). */
  next(prefix: string): string;
}

export interface StatusChange {
  id: string;
  from: RecommendationStatus;
  to: RecommendationStatus;
  entry: HistoryEntry;
  resolved_by?: string;
  conflicts?: Conflict[];
}

export interface CoordinationChange {
  customerId: string;
  created: Recommendation[];
  /** Status changes of recommendations stored earlier, applied only if they are still `from`. */
  changed: StatusChange[];
  approvals: Approval[];
  plans: ExecutionPlan[];
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface RecommendationStore {
  /** Serialises coordination per customer; resolves to a release function. Throws Busy when held too long by another. */
  lockCustomer(customerId: string): Promise<() => Promise<void>>;
  getRecommendations(customerId: string, ids: readonly string[]): Promise<Recommendation[]>;
  listActive(customerId: string): Promise<Recommendation[]>;
  listRecommendations(customerId: string, query: { status?: RecommendationStatus; limit: number; next?: string }): Promise<Page<Recommendation>>;
  getApproval(customerId: string, approvalId: string): Promise<Approval | undefined>;
  getPlan(customerId: string, planId: string): Promise<ExecutionPlan | undefined>;
  /** Writes a coordination's outcome; throws StaleState when a `changed` recommendation moved meanwhile. */
  saveCoordination(change: CoordinationChange): Promise<void>;
}

export interface PolicyStore {
  getPolicy(customerId: string): Promise<PolicyInput | undefined>;
  putPolicy(customerId: string, policy: PolicyInput): Promise<void>;
}

export interface AgentRecord {
  agent_id: string;
  customer_id: string;
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
