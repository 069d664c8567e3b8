// One example per request body and per success answer, shown in /docs; test/infra/openapi.test.ts
// validates each against its schema. Ids and times are the seed's style, invented.
import { DEFAULT_POLICY } from '../core/rules/policy.js';

const AT = '2026-03-02T10:00:00.000Z';
const LATER = '2026-03-03T10:00:00.000Z';

export const recommendationInput = {
  id: 'rec-rightsize-web-01',
  agent_id: 'cost-optimizer',
  agent_type: 'cost',
  type: 'cost',
  title: 'Right-size the web tier',
  description: 'Three m5.2xlarge instances idle at 8 % CPU.',
  action: 'resize_instances',
  risk_level: 'medium',
  estimated_savings: 412.5,
  affected_resources: ['i-0abc', 'i-0def', 'i-0fed'],
  parameters: { target_type: 'm5.large' },
  priority: 5,
  confidence: 0.92,
  steps: [{ action: 'resize_instances', parameters: { target_type: 'm5.large' }, reversible: true }],
};

export const coordinateRequest = { customer_id: 'acme', recommendations: [recommendationInput] };

const step = {
  id: 'rec-rightsize-web-01-step-0',
  index: 0,
  action: 'resize_instances',
  agent_id: 'cost-optimizer',
  parameters: { target_type: 'm5.large' },
  critical: true,
  reversible: true,
  timeout_seconds: 300,
  status: 'pending',
  duration_ms: 0,
};

export const plan = {
  id: 'plan-rec-rightsize-web-01',
  recommendation_id: 'rec-rightsize-web-01',
  customer_id: 'acme',
  steps: [step],
  status: 'pending',
  current_step: 0,
  created_at: AT,
  total_duration_ms: 0,
};

export const approval = {
  id: 'appr-rec-rightsize-web-01',
  recommendation_id: 'rec-rightsize-web-01',
  customer_id: 'acme',
  risk_level: 'medium',
  status: 'pending',
  requested_by: 'cost-optimizer',
  requested_at: AT,
  expires_at: LATER,
  approvals_required: 1,
  votes: [],
};

export const recommendation = {
  ...recommendationInput,
  customer_id: 'acme',
  effective_risk: 'medium',
  estimated_impact: '',
  dependencies: [],
  metadata: {},
  steps: [{ ...recommendationInput.steps[0], critical: true, timeout_seconds: 300 }],
  status: 'pending_approval',
  status_reason: 'medium risk: 1 approval required',
  coordination_id: 'coord-7f3a',
  execute_now: false,
  conflicts: [],
  approval_id: approval.id,
  plan_id: plan.id,
  created_at: AT,
  updated_at: AT,
  history: [{ status: 'pending_approval', reason: 'medium risk: 1 approval required', at: AT }],
};

const conflict = {
  id: 'conf-1',
  type: 'resource',
  recommendation_ids: ['rec-rightsize-web-01', 'rec-stop-web-02'],
  description: 'Both act on i-0abc',
  severity: 'high',
  conflicting_field: 'affected_resources',
  detected_at: AT,
  resolved: true,
  resolution: 'kept rec-rightsize-web-01 (higher priority)',
  resolved_at: AT,
};

export const coordination = {
  id: 'coord-7f3a',
  customer_id: 'acme',
  total_recommendations: 1,
  conflicts_detected: 0,
  conflicts_resolved: 0,
  conflicts_listed: 0,
  conflicts_truncated: false,
  recommendations_kept: 1,
  approvals_required: 1,
  auto_approved: 0,
  duplicates: [],
  not_kept: [],
  superseded: [],
  conflicts: [],
  recommendations: [recommendation],
  approvals: [approval],
  execution_plans: [plan],
  created_at: AT,
};

export const listedApproval = {
  ...approval,
  title: recommendation.title,
  action: recommendation.action,
  affected_resources: recommendation.affected_resources,
  effective_risk: 'medium',
  estimated_savings: 412.5,
  plan_steps: [{ action: 'resize_instances', agent_id: 'cost-optimizer', critical: true, reversible: true }],
  dependencies: [],
  voted_by_me: false,
};

const approved = {
  ...approval,
  status: 'approved',
  approved_by: 'ops@acme.example',
  approved_at: AT,
  votes: [{ approver: 'ops@acme.example', approver_id: 'apr-1', decision: 'approve', at: AT, via: 'api' }],
};

export const policy = {
  customer_id: 'acme',
  ...DEFAULT_POLICY,
  action_risk: { delete_database: 'critical' },
  action_limits: { migrate_to_spot: 3 },
  customized: true,
};

const healthy = { status: 'healthy', latency_ms: 4 };

/** Keyed like the registry: `requests` for bodies, `responses` for the first success status. */
export const REQUEST_EXAMPLES = {
  'POST /coordination/coordinate': coordinateRequest,
  'POST /coordination/recommendations/{id}/cancel': { reason: 'the instance is being decommissioned' },
  'POST /coordination/steps/{id}/callback': {
    customer_id: 'acme',
    status: 'completed',
    result: { resized: 3 },
    rollback_data: { previous_type: 'm5.2xlarge' },
  },
  'POST /admin/agents': {
    agent_id: 'cost-optimizer',
    customer_id: 'acme',
    endpoint_url: 'https://agents.acme.example/arbiter',
  },
  'POST /admin/agents/{agent_id}/keys': { grace_seconds: 3600 },
  'PUT /admin/customers/{customer_id}/policy': policy,
  'POST /admin/customers/{customer_id}/approvers': { email: 'ops@acme.example', name: 'Ops on call' },
  'POST /admin/customers/{customer_id}/approvers/{approver_id}/keys': { grace_seconds: 0 },
  'POST /coordination/approvals/{id}/approve': { user_id: 'ops@acme.example' },
  'POST /coordination/approvals/{id}/reject': { user_id: 'ops@acme.example', reason: 'Black Friday next week' },
  'POST /approvals/{id}/decision': { approver: 'apr-1', expires: 1772445600, sig: 'k3J…', decision: 'approve' },
} as const;

export const EXAMPLES = {
  coordination,
  recommendationPage: { recommendations: [recommendation], count: 1, next: 'eyJwayI6…' },
  recommendationView: { ...recommendation, approval, plan },
  plan,
  conflictPage: {
    coordination_id: 'coord-7f3a',
    conflicts: [conflict],
    conflicts_detected: 1,
    conflicts_listed: 1,
    count: 1,
  },
  executionStarted: { message: 'Execution started', plan_id: plan.id },
  cancelled: {
    recommendation_id: recommendation.id,
    status: 'cancelled',
    cancel_requested: { by: 'agent cost-optimizer', reason: 'the instance is being decommissioned', at: AT },
    message: 'Cancelled',
  },
  cancelling: {
    recommendation_id: recommendation.id,
    status: 'executing',
    cancel_requested: { by: 'the admin key', reason: 'change freeze called by the on-call', at: AT },
    message:
      'Cancelling: no further step starts; the completed reversible steps are rolled back, then it ends cancelled',
  },
  callbackAccepted: { message: 'Step result accepted', step_id: step.id },
  registeredAgent: {
    agent_id: 'cost-optimizer',
    customer_id: 'acme',
    role: 'agent',
    endpoint_url: 'https://agents.acme.example/arbiter',
    key_id: 'key-01',
    api_key: 'arb_agent_…',
    signing_secret: 'whsec_…',
    created_at: AT,
  },
  agentView: {
    agent_id: 'cost-optimizer',
    customer_id: 'acme',
    role: 'agent',
    endpoint_url: 'https://agents.acme.example/arbiter',
    created_at: AT,
    circuit: { state: 'open', failures: 5, opened_at: AT, cool_down_ends_at: LATER },
  },
  rotatedAgentKey: {
    agent_id: 'cost-optimizer',
    customer_id: 'acme',
    key_id: 'key-02',
    api_key: 'arb_agent_…',
    signing_secret: 'whsec_…',
    previous_valid_until: LATER,
  },
  revokedAgentKey: { agent_id: 'cost-optimizer', customer_id: 'acme', key_id: 'key-01', revoked: true },
  policy,
  registeredApprover: {
    reissued: false,
    approver_id: 'apr-1',
    customer_id: 'acme',
    email: 'ops@acme.example',
    name: 'Ops on call',
    key_id: 'key-01',
    api_key: 'arb_approver_…',
    subscription: 'pending confirmation',
  },
  rotatedApproverKey: { approver_id: 'apr-1', customer_id: 'acme', key_id: 'key-02', api_key: 'arb_approver_…' },
  revokedApproverKey: { approver_id: 'apr-1', customer_id: 'acme', key_id: 'key-01', revoked: true },
  approvalPage: { approvals: [listedApproval], count: 1 },
  approved: { message: 'Recommendation approved', approval: approved },
  rejected: {
    message: 'Recommendation rejected',
    approval: { ...approval, status: 'rejected', rejected_by: 'ops@acme.example', rejected_at: AT },
  },
  page: '<!doctype html><html lang="en">…</html>',
  health: {
    status: 'healthy',
    service: 'arbiter',
    version: '1.0.0',
    timestamp: AT,
    components: { database: healthy, workflow: healthy, notifications: healthy },
  },
  openapi: { openapi: '3.1.0', info: { title: 'Arbiter', version: '1.0.0' }, paths: {} },
  asset: 'window.ui = SwaggerUIBundle({ … });',
};
