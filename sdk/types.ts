// What ArbiterClient sends and receives. Requests are typed from the zod schemas the handlers
// validate with (z.input: fields with defaults are optional); answers from the core's records.
// Type-only imports: the client carries no schema code at run time.
import type { z } from 'zod';
import type {
  AgentRegistration,
  ApproverRegistration,
  ConflictsQuery,
  CoordinateRequest,
  KeyRotationRequest,
  ListApprovalsQuery,
  ListRecommendationsQuery,
  PolicyInput,
  RecommendationInput,
  StepInput,
} from '../functions/core/model/inputs.js';
import type {
  Approval,
  Conflict,
  CoordinationResponse,
  ExecutionPlan,
  Recommendation,
} from '../functions/core/model/records.js';
import type { RecommendationStatus } from '../functions/core/model/statuses.js';
import type { Policy } from '../functions/core/rules/policy.js';
import type { ListedApproval } from '../functions/core/use-cases/list-approvals.js';
import type { RegisteredAgent } from '../functions/core/use-cases/register-agent.js';
import type { RegisteredApprover } from '../functions/core/use-cases/register-approver.js';
import type { RotatedKey } from '../functions/core/use-cases/rotate-key.js';
import type { RecommendationView } from '../functions/core/use-cases/view-recommendation.js';
import type { StepCallback } from './signing.js';

export type {
  Approval,
  Conflict,
  CoordinationResponse,
  ExecutionPlan,
  ListedApproval,
  Policy,
  Recommendation,
  RecommendationStatus,
  RecommendationView,
  RegisteredAgent,
  RegisteredApprover,
  StepCallback,
};

type JsonObject = Record<string, unknown>;

/** Free-form objects are checked by the server (depth, size, keys); to the type system they are objects. */
type WithObjects<T, K extends keyof T> = Omit<T, K> & { [P in K]?: JsonObject };

export type StepSubmission = WithObjects<z.input<typeof StepInput>, 'parameters'>;
export type RecommendationSubmission = WithObjects<
  Omit<z.input<typeof RecommendationInput>, 'steps'>,
  'parameters' | 'metadata'
> & { steps?: StepSubmission[] };
export type CoordinateInput = Omit<z.input<typeof CoordinateRequest>, 'recommendations'> & {
  recommendations: RecommendationSubmission[];
};

export type AgentRegistrationInput = z.input<typeof AgentRegistration>;
export type ApproverRegistrationInput = z.input<typeof ApproverRegistration>;
export type KeyRotationInput = z.input<typeof KeyRotationRequest>;
/** A PUT replaces the whole policy: what it leaves out takes its default. */
export type PolicyDocument = z.input<typeof PolicyInput>;

// Query strings: numbers and strings as the server reads them after coercion.
export type ListRecommendationsOptions = Partial<z.output<typeof ListRecommendationsQuery>>;
export type ListApprovalsOptions = Partial<z.output<typeof ListApprovalsQuery>>;
export type ConflictsOptions = Partial<z.output<typeof ConflictsQuery>>;
/** With the admin key, reads name the customer; agent and approver keys act for their own. */
export interface CustomerOption {
  customer_id?: string;
}

/** POST /coordination/approvals/{id}/approve: the approver deciding, as their email or approver id. */
export interface ApproveInput {
  user_id: string;
}
export interface RejectInput {
  user_id: string;
  reason: string;
}

/** The query of an emailed review link: who it is for, until when, and its signature. */
export interface SignedLink {
  approver: string;
  expires: number | string;
  sig: string;
}
export interface LinkDecision extends SignedLink {
  decision: 'approve' | 'reject';
  reason?: string;
}

export type PolicyView = Policy & { customer_id: string; customized: boolean };

export type RotatedAgentKey = RotatedKey & { agent_id: string; customer_id: string };
export type RotatedApproverKey = RotatedKey & { approver_id: string; customer_id: string };
export interface RevokedKey {
  customer_id: string;
  agent_id?: string;
  approver_id?: string;
  key_id: string;
  revoked: true;
}

export interface RecommendationPage {
  recommendations: Recommendation[];
  count: number;
  next?: string;
}

export interface ConflictPage {
  coordination_id: string;
  conflicts: Conflict[];
  conflicts_detected: number;
  conflicts_listed: number;
  count: number;
  next?: string;
}

export interface ApprovalPage {
  approvals: ListedApproval[];
  count: number;
  next?: string;
}
export interface DecisionAnswer {
  message: string;
  approval: Approval;
}

export interface ExecutionRequested {
  message: string;
  plan_id: string;
}
export interface CallbackAccepted {
  message: string;
  step_id: string;
}

export interface ComponentHealth {
  status: 'healthy' | 'unhealthy';
  latency_ms: number;
  error?: string;
}
export interface Health {
  status: 'healthy' | 'degraded' | 'unhealthy';
  service: string;
  version: string;
  timestamp: string;
  components: Record<'database' | 'workflow' | 'notifications', ComponentHealth>;
}
