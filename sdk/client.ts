// ArbiterClient: one method per route of Arbiter's API, typed from the schemas the handlers
// validate with. Every method resolves with the answer's body or throws an ArbiterError that
// carries the status, Arbiter's message and the fields it named.
//
//   const arbiter = new ArbiterClient(process.env.ARBITER_URL, process.env.ARBITER_KEY);
//   const result = await arbiter.coordinate({ customer_id: 'customer-1', recommendations: [...] });
import { type SignedCallback, signCallback } from './signing.js';
import { path, Transport, type TransportOptions } from './transport.js';
import type {
  AgentRegistrationInput,
  ApprovalPage,
  ApproveInput,
  ApproverRegistrationInput,
  CallbackAccepted,
  ConflictPage,
  ConflictsOptions,
  CoordinateInput,
  CoordinationResponse,
  CustomerOption,
  DecisionAnswer,
  ExecutionPlan,
  ExecutionRequested,
  Health,
  KeyRotationInput,
  LinkDecision,
  ListApprovalsOptions,
  ListRecommendationsOptions,
  PolicyDocument,
  PolicyView,
  RecommendationPage,
  RecommendationView,
  RegisteredAgent,
  RegisteredApprover,
  RejectInput,
  RevokedKey,
  RotatedAgentKey,
  RotatedApproverKey,
  SignedLink,
  StepCallback,
} from './types.js';

export { ArbiterError, type ArbiterErrorKind, type FieldIssue } from './errors.js';
export type { TransportOptions as ArbiterClientOptions } from './transport.js';
export type * from './types.js';

/** The answer to a cancel: `cancelled` now, or still `executing` while its run stops and rolls back. */
export interface Cancellation {
  recommendation_id: string;
  status: 'cancelled' | 'executing';
  cancel_requested: { by: string; reason: string; at: string };
  message: string;
}

/** An agent as GET /admin/agents/{agent_id} shows it, with its circuit breaker. */
export interface AgentView {
  agent_id: string;
  customer_id: string;
  role: 'agent' | 'orchestrator';
  endpoint_url?: string;
  created_at: string;
  circuit: {
    state: 'closed' | 'open' | 'half_open';
    failures: number;
    opened_at?: string;
    trial_at?: string;
    cool_down_ends_at?: string;
  };
}

export class ArbiterClient {
  private readonly http: Transport;

  /**
   * @param baseUrl the API's URL: `http://127.0.0.1:3000` locally, the stack's `ApiUrl` output on AWS.
   * @param apiKey an admin, agent or approver key (`Authorization: Bearer`); public routes need none.
   */
  constructor(baseUrl: string, apiKey?: string, options?: TransportOptions) {
    this.http = new Transport(baseUrl, apiKey, options);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  // --- admin key: agents, approvers, keys, policy ---

  /** POST /admin/agents → 201 with its `api_key` and `signing_secret` (shown once). */
  registerAgent(input: AgentRegistrationInput): Promise<RegisteredAgent> {
    return this.http.send({ method: 'POST', path: '/admin/agents', json: input });
  }

  /** POST /admin/agents/{agent_id}/keys: a new key and signing secret; the old ones work `grace_seconds` more. */
  rotateAgentKey(agentId: string, customerId: string, input: KeyRotationInput = {}): Promise<RotatedAgentKey> {
    const p = path`/admin/agents/${agentId}/keys`;
    return this.http.send({ method: 'POST', path: p, query: { customer_id: customerId }, json: input });
  }

  /** DELETE /admin/agents/{agent_id}/keys/{key_id}: revoked at once. */
  revokeAgentKey(agentId: string, keyId: string, customerId: string): Promise<RevokedKey> {
    const p = path`/admin/agents/${agentId}/keys/${keyId}`;
    return this.http.send({ method: 'DELETE', path: p, query: { customer_id: customerId } });
  }

  /** POST /admin/customers/{customer_id}/approvers → 201, or 200 with `reissued` for a known email. */
  addApprover(customerId: string, input: ApproverRegistrationInput): Promise<RegisteredApprover> {
    return this.http.send({ method: 'POST', path: path`/admin/customers/${customerId}/approvers`, json: input });
  }

  /** POST /admin/customers/{customer_id}/approvers/{approver_id}/keys. */
  rotateApproverKey(customerId: string, approverId: string, input: KeyRotationInput = {}): Promise<RotatedApproverKey> {
    const p = path`/admin/customers/${customerId}/approvers/${approverId}/keys`;
    return this.http.send({ method: 'POST', path: p, json: input });
  }

  /** DELETE /admin/customers/{customer_id}/approvers/{approver_id}/keys/{key_id}. */
  revokeApproverKey(customerId: string, approverId: string, keyId: string): Promise<RevokedKey> {
    const p = path`/admin/customers/${customerId}/approvers/${approverId}/keys/${keyId}`;
    return this.http.send({ method: 'DELETE', path: p });
  }

  /** GET /admin/customers/{customer_id}/policy: the policy with every default filled in. */
  getPolicy(customerId: string): Promise<PolicyView> {
    return this.http.send({ method: 'GET', path: path`/admin/customers/${customerId}/policy` });
  }

  /** GET /admin/agents/{agent_id}: the agent (never its secrets) and its circuit breaker. */
  getAgent(agentId: string, customerId: string): Promise<AgentView> {
    return this.http.send({ method: 'GET', path: path`/admin/agents/${agentId}`, query: { customer_id: customerId } });
  }

  /** PUT /admin/customers/{customer_id}/policy: replaces the whole policy (left out: defaults). */
  setPolicy(customerId: string, policy: PolicyDocument): Promise<PolicyView> {
    return this.http.send({ method: 'PUT', path: path`/admin/customers/${customerId}/policy`, json: policy });
  }

  // --- agents: coordinate, read, execute ---

  /** POST /coordination/coordinate: conflicts, kept recommendations, approvals and plans. */
  coordinate(input: CoordinateInput): Promise<CoordinationResponse> {
    return this.http.send({ method: 'POST', path: '/coordination/coordinate', json: input });
  }

  /** GET /coordination/coordinations/{id}/conflicts: one page of a coordination's conflicts. */
  listConflicts(coordinationId: string, options: ConflictsOptions = {}): Promise<ConflictPage> {
    const p = path`/coordination/coordinations/${coordinationId}/conflicts`;
    return this.http.send({ method: 'GET', path: p, query: { ...options } });
  }

  /** GET /coordination/recommendations: newest first per status; pass `next` for the following page. */
  listRecommendations(options: ListRecommendationsOptions = {}): Promise<RecommendationPage> {
    return this.http.send({ method: 'GET', path: '/coordination/recommendations', query: { ...options } });
  }

  /** GET /coordination/recommendations/{id}: with its approval and plan. */
  getRecommendation(id: string, options: CustomerOption = {}): Promise<RecommendationView> {
    return this.http.send({ method: 'GET', path: path`/coordination/recommendations/${id}`, query: { ...options } });
  }

  /** GET /coordination/plans/{id}: the steps with status, result, rollback data and times. */
  getPlan(id: string, options: CustomerOption = {}): Promise<ExecutionPlan> {
    return this.http.send({ method: 'GET', path: path`/coordination/plans/${id}`, query: { ...options } });
  }

  /** POST /coordination/plans/{id}/execute → 202: runs an approved plan (409 with the reason otherwise). */
  executePlan(id: string, options: CustomerOption = {}): Promise<ExecutionRequested> {
    const p = path`/coordination/plans/${id}/execute`;
    return this.http.send({ method: 'POST', path: p, query: { ...options } });
  }

  /**
   * POST /coordination/recommendations/{id}/cancel: 200 cancelled at once (not started yet); 202 while
   * executing (no further step starts, the completed reversible steps are rolled back, it ends
   * cancelled); 409 when it already ended.
   */
  cancel(id: string, reason: string, options: CustomerOption = {}): Promise<Cancellation> {
    const p = path`/coordination/recommendations/${id}/cancel`;
    return this.http.send({ method: 'POST', path: p, query: { ...options }, json: { reason } });
  }

  /**
   * POST /coordination/steps/{id}/callback: a step's late report, signed with the agent's secret.
   * `dispatch` is the query parameter of the `callback_url` the step came with; agents built with
   * createAgentHandler post to that URL themselves.
   */
  sendStepCallback(stepId: string, dispatch: string, report: StepCallback, secret: string): Promise<CallbackAccepted> {
    const signed: SignedCallback = signCallback(report, secret);
    const p = path`/coordination/steps/${stepId}/callback`;
    return this.http.send({ method: 'POST', path: p, query: { dispatch }, raw: signed.body, headers: signed.headers });
  }

  // --- approvers ---

  /** GET /coordination/approvals: pending approvals, soonest expiry first. */
  listApprovals(options: ListApprovalsOptions = {}): Promise<ApprovalPage> {
    return this.http.send({ method: 'GET', path: '/coordination/approvals', query: { ...options } });
  }

  /** POST /coordination/approvals/{id}/approve with the approver's own key. */
  approve(approvalId: string, input: ApproveInput): Promise<DecisionAnswer> {
    return this.http.send({ method: 'POST', path: path`/coordination/approvals/${approvalId}/approve`, json: input });
  }

  /** POST /coordination/approvals/{id}/reject: any rejection vetoes. */
  reject(approvalId: string, input: RejectInput): Promise<DecisionAnswer> {
    return this.http.send({ method: 'POST', path: path`/coordination/approvals/${approvalId}/reject`, json: input });
  }

  /** GET /approvals/{id}/review: the emailed link's page (HTML); opening it changes nothing. */
  reviewPage(approvalId: string, link: SignedLink): Promise<string> {
    return this.http.send({ method: 'GET', path: path`/approvals/${approvalId}/review`, query: { ...link } });
  }

  /** POST /approvals/{id}/decision: the review page's form; answers a page (HTML). */
  decideByLink(approvalId: string, decision: LinkDecision): Promise<string> {
    const { approver, expires, sig, decision: choice, reason } = decision;
    const form = { approver, expires: String(expires), sig, decision: choice, reason };
    return this.http.send({ method: 'POST', path: path`/approvals/${approvalId}/decision`, form });
  }

  // --- public ---

  /** GET /health: also when unhealthy (503), so the components can be read. */
  health(): Promise<Health> {
    return this.http.send({ method: 'GET', path: '/health', accept: [200, 503] });
  }

  /** GET /openapi.json: the API's contract. */
  openApi(): Promise<Record<string, unknown>> {
    return this.http.send({ method: 'GET', path: '/openapi.json' });
  }

  /** GET /docs: the API reference page (HTML; the browser then loads its files from /docs/{asset}). */
  docsPage(): Promise<string> {
    return this.http.send({ method: 'GET', path: '/docs' });
  }
}

/** The approval id and signed query of an emailed review link (`.../approvals/{id}/review?approver=&expires=&sig=`). */
export function parseReviewLink(link: string): { approvalId: string; link: SignedLink } {
  const url = new URL(link);
  const match = /\/approvals\/([^/]+)\/review$/.exec(url.pathname);
  const [approver, expires, sig] = ['approver', 'expires', 'sig'].map((k) => url.searchParams.get(k));
  if (!match || !approver || !expires || !sig) throw new TypeError(`not a review link: ${url.pathname}`);
  return { approvalId: decodeURIComponent(match[1]), link: { approver, expires, sig } };
}
