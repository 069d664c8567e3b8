// zod schemas of what the API answers, for /openapi.json. Each `satisfies z.ZodType<Record>` makes
// the compiler check that the schema describes the record type the handler returns (every field,
// with its type); test/unit/routes-responses.test.ts checks real answers against them.
import * as z from 'zod';
import { PolicyInput, RecommendationInput, RiskLevel, StepInput } from '../core/model/inputs.js';
import type {
  Approval,
  Conflict,
  CoordinationResponse,
  ExecutionPlan,
  PlanStep,
  Recommendation,
} from '../core/model/records.js';
import { RecommendationStatus } from '../core/model/statuses.js';
import type { Policy } from '../core/rules/policy.js';
import type { CancelResult } from '../core/use-cases/cancel-recommendation.js';
import type { ListedApproval } from '../core/use-cases/list-approvals.js';
import type { RegisteredAgent } from '../core/use-cases/register-agent.js';
import type { RegisteredApprover } from '../core/use-cases/register-approver.js';
import type { RotatedKey } from '../core/use-cases/rotate-key.js';
import type { AgentView } from '../core/use-cases/view-agent.js';
import type { RecommendationView } from '../core/use-cases/view-recommendation.js';

const Instant = z.string().describe('ISO 8601 date-time');
const JsonObject = z.record(z.string(), z.unknown());
const Next = z.string().optional().describe('Pass as `next` to get the following page; absent on the last page');

export const ConflictSchema = z.object({
  id: z.string(),
  type: z.enum(['resource', 'action', 'dependency', 'timing']),
  recommendation_ids: z.array(z.string()),
  description: z.string(),
  severity: z.enum(['low', 'medium', 'high']),
  conflicting_field: z.enum(['affected_resources', 'action', 'dependencies', 'window']),
  detected_at: Instant,
  resolved: z.boolean(),
  resolution: z.string(),
  resolved_at: Instant,
}) satisfies z.ZodType<Conflict>;

export const RecommendationSchema = RecommendationInput.extend({
  customer_id: z.string(),
  effective_risk: RiskLevel.optional(),
  risk_floor_reason: z.string().optional(),
  status: RecommendationStatus,
  status_reason: z.string(),
  resolved_by: z.string().optional(),
  coordination_id: z.string(),
  execute_now: z.boolean(),
  conflicts: z.array(ConflictSchema),
  conflicts_total: z.number().int().optional(),
  conflicts_truncated: z.boolean().optional(),
  approval_id: z.string().optional(),
  plan_id: z.string().optional(),
  created_at: Instant,
  updated_at: Instant,
  history: z.array(
    z.object({ status: RecommendationStatus, reason: z.string(), at: Instant, by: z.string().optional() }),
  ),
  cancel_requested: z
    .object({ by: z.string(), reason: z.string(), at: Instant })
    .optional()
    .describe('Set when it was cancelled while executing: its run stops at the next step and rolls back'),
  last_step_passed_at: Instant.optional().describe(
    'When its run passed its last step (no cancel requested): it is finishing as completed; a cancel is refused (409)',
  ),
}) satisfies z.ZodType<Recommendation, unknown>;

export const CancelResponse = z.object({
  recommendation_id: z.string(),
  status: z
    .enum(['cancelled', 'executing'])
    .describe('cancelled now, or still executing while its run stops and rolls back (then it ends cancelled)'),
  cancel_requested: z.object({ by: z.string(), reason: z.string(), at: Instant }),
  message: z.string(),
}) satisfies z.ZodType<CancelResult, unknown>;

const VoteSchema = z.object({
  approver: z.string(),
  approver_id: z.string(),
  decision: z.enum(['approve', 'reject']),
  at: Instant,
  via: z.enum(['api', 'link']),
  reason: z.string().optional(),
});

export const ApprovalSchema = z.object({
  id: z.string(),
  recommendation_id: z.string(),
  customer_id: z.string(),
  risk_level: RiskLevel,
  status: z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']),
  requested_by: z.string(),
  requested_at: Instant,
  approved_by: z.string().optional(),
  approved_at: Instant.optional(),
  rejected_by: z.string().optional(),
  rejected_at: Instant.optional(),
  rejection_reason: z.string().optional(),
  closed_reason: z.string().optional(),
  expires_at: Instant,
  approvals_required: z.number().int(),
  votes: z.array(VoteSchema),
}) satisfies z.ZodType<Approval>;

const StepStatus = z.enum(['pending', 'running', 'completed', 'failed', 'skipped', 'rolled_back', 'rollback_failed']);

const PlanStepSchema = StepInput.omit({ agent_id: true }).extend({
  id: z.string(),
  index: z.number().int(),
  agent_id: z.string(),
  status: StepStatus,
  result: JsonObject.optional(),
  rollback_data: JsonObject.optional(),
  rollback_result: JsonObject.optional(),
  error: z.string().optional(),
  started_at: Instant.optional(),
  completed_at: Instant.optional(),
  duration_ms: z.number(),
}) satisfies z.ZodType<PlanStep, unknown>;

export const PlanSchema = z.object({
  id: z.string(),
  recommendation_id: z.string(),
  customer_id: z.string(),
  steps: z.array(PlanStepSchema),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'rolled_back', 'rollback_failed', 'cancelled']),
  current_step: z.number().int(),
  created_at: Instant,
  started_at: Instant.optional(),
  completed_at: Instant.optional(),
  total_duration_ms: z.number(),
}) satisfies z.ZodType<ExecutionPlan, unknown>;

export const CoordinationSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  dry_run: z.boolean().optional().describe('True: what the real call would decide; nothing was stored or started'),
  total_recommendations: z.number().int(),
  conflicts_detected: z.number().int(),
  conflicts_resolved: z.number().int(),
  conflicts_listed: z.number().int(),
  conflicts_truncated: z.boolean(),
  recommendations_kept: z.number().int(),
  approvals_required: z.number().int(),
  auto_approved: z.number().int(),
  duplicates: z.array(z.object({ id: z.string(), status: RecommendationStatus })),
  not_kept: z.array(
    z.object({ id: z.string(), status: RecommendationStatus, reason: z.string(), resolved_by: z.string().optional() }),
  ),
  superseded: z.array(z.object({ id: z.string(), superseded_by: z.string() })),
  conflicts: z.array(ConflictSchema),
  recommendations: z.array(RecommendationSchema),
  approvals: z.array(ApprovalSchema),
  execution_plans: z.array(PlanSchema),
  created_at: Instant,
}) satisfies z.ZodType<CoordinationResponse, unknown>;

export const RecommendationViewSchema = RecommendationSchema.extend({
  approval: ApprovalSchema.nullable(),
  plan: PlanSchema.nullable(),
}) satisfies z.ZodType<RecommendationView, unknown>;

export const RecommendationPage = z.object({
  recommendations: z.array(RecommendationSchema),
  count: z.number().int(),
  next: Next,
});

export const ConflictPageSchema = z.object({
  coordination_id: z.string(),
  conflicts: z.array(ConflictSchema),
  conflicts_detected: z.number().int(),
  conflicts_listed: z.number().int(),
  count: z.number().int(),
  next: Next,
});

export const ListedApprovalSchema = ApprovalSchema.extend({
  title: z.string(),
  action: z.string(),
  affected_resources: z.array(z.string()),
  effective_risk: RiskLevel,
  estimated_savings: z.number(),
  plan_steps: z.array(
    z.object({ action: z.string(), agent_id: z.string(), critical: z.boolean(), reversible: z.boolean() }),
  ),
  dependencies: z.array(z.object({ id: z.string(), status: z.string() })),
  voted_by_me: z.boolean(),
}) satisfies z.ZodType<ListedApproval>;

export const ApprovalPage = z.object({
  approvals: z.array(ListedApprovalSchema),
  count: z.number().int(),
  next: Next,
});

export const Decision = z.object({
  message: z.enum([
    'Recommendation approved',
    'Recommendation rejected',
    'Approval recorded; more approvals are needed',
    'Your approval was already recorded',
  ]),
  approval: ApprovalSchema,
});

export const ExecutionStarted = z.object({ message: z.literal('Execution started'), plan_id: z.string() });
export const CallbackAccepted = z.object({ message: z.literal('Step result accepted'), step_id: z.string() });

export const RegisteredAgentSchema = z.object({
  agent_id: z.string(),
  customer_id: z.string(),
  role: z.enum(['agent', 'orchestrator']),
  endpoint_url: z.string().optional(),
  key_id: z.string(),
  api_key: z.string().describe('Shown once: send it as Authorization: Bearer <api_key>'),
  signing_secret: z.string().describe('Shown once: verifies step requests and signs callbacks'),
  created_at: Instant,
}) satisfies z.ZodType<RegisteredAgent>;

export const AgentViewSchema = z.object({
  agent_id: z.string(),
  customer_id: z.string(),
  role: z.enum(['agent', 'orchestrator']),
  endpoint_url: z.string().optional(),
  created_at: Instant,
  circuit: z.object({
    state: z.enum(['closed', 'open', 'half_open']),
    failures: z.number().int().describe('Transient failures and timeouts in a row since its last success'),
    opened_at: Instant.optional(),
    trial_at: Instant.optional().describe('When the half-open trial dispatch was let through'),
    cool_down_ends_at: Instant.optional().describe('Open: when one trial dispatch is let through'),
  }),
}) satisfies z.ZodType<AgentView, unknown>;

export const RegisteredApproverSchema = z.object({
  reissued: z.boolean(),
  approver_id: z.string(),
  customer_id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  key_id: z.string(),
  api_key: z.string(),
  subscription: z.string(),
}) satisfies z.ZodType<RegisteredApprover>;

const KeyFields = {
  key_id: z.string(),
  api_key: z.string(),
  signing_secret: z.string().optional(),
  previous_valid_until: Instant.optional(),
} satisfies Record<keyof RotatedKey, z.ZodType>;

export const RotatedAgentKey = z.object({ agent_id: z.string(), customer_id: z.string(), ...KeyFields });
export const RotatedApproverKey = z.object({ approver_id: z.string(), customer_id: z.string(), ...KeyFields });
export const RevokedAgentKey = z.object({
  agent_id: z.string(),
  customer_id: z.string(),
  key_id: z.string(),
  revoked: z.literal(true),
});
export const RevokedApproverKey = RevokedAgentKey.omit({ agent_id: true }).extend({ approver_id: z.string() });

const ApprovalRuleSchema = z.object({ approvals_required: z.number().int(), expires_in_seconds: z.number().int() });
const Fractions = z.array(z.number());
/** The policy input with its defaults filled in (policyFrom), every risk level named. */
export const PolicySchema = PolicyInput.extend({
  customer_id: z.string(),
  risk: z.object({
    low: ApprovalRuleSchema,
    medium: ApprovalRuleSchema,
    high: ApprovalRuleSchema,
    critical: ApprovalRuleSchema,
  }),
  reminders: z.object({ low: Fractions, medium: Fractions, high: Fractions, critical: Fractions }),
  customized: z.boolean().describe('False: no policy was set, these are the defaults'),
}) satisfies z.ZodType<Policy & { customer_id: string; customized: boolean }, unknown>;

const ComponentHealth = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  latency_ms: z.number(),
  error: z.string().optional(),
});
export const HealthSchema = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  service: z.literal('arbiter'),
  version: z.string(),
  timestamp: Instant,
  components: z.object({ database: ComponentHealth, workflow: ComponentHealth, notifications: ComponentHealth }),
});

export const OpenApiSchema = z
  .object({ openapi: z.string().startsWith('3.1'), info: JsonObject, paths: JsonObject })
  .describe('An OpenAPI 3.1 document');
export const Html = z.string().describe('An HTML page');
export const Text = z.string().describe('A script or style sheet');
