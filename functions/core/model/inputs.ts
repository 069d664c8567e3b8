// Input schemas: what agents, approvers and admins may send. JSON is snake_case and the
// seed payloads are accepted unchanged; anything else is named in a 400.
import * as z from 'zod';
import { graphIssues } from '../rules/step-graph.js';
import { isStorableNumber, jsonObjectIssues, STORABLE_NUMBER_MESSAGE } from './json-rules.js';
import { RecommendationStatus } from './statuses.js';

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const RECOMMENDATION_TYPES = ['cost', 'performance', 'resource', 'application'] as const;

export const RiskLevel = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** Ids agents choose: printable, no spaces, short enough to key on. */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/,
    'must start with a letter or digit and contain only letters, digits and . _ : @ -',
  );

/**
 * A resource id keys its lock and its queue of waiting plans; a leading '#' is Arbiter's own queues'
 * (#paused, #slot, #action:<action>), so a customer's resource can never share one.
 */
export const ResourceId = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\s]+$/, 'must not contain white space')
  .regex(/^[^#]/, "must not start with '#' (reserved for Arbiter's internal queues)");

export const ActionName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case (a-z, 0-9, _)');

export const Timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/** Free-form objects are copied into plans and workflow payloads: 16 KiB keeps every item within DynamoDB's 400 KB. */
export const MAX_OBJECT_BYTES = 16 * 1024;
// Key and depth rules run before the record is copied: zod's copy would drop a `__proto__` key silently.
const JsonObject = z.preprocess(
  (value, ctx) => {
    for (const issue of jsonObjectIssues(value))
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
    return value;
  },
  z.record(z.string(), z.unknown()).refine((o) => Buffer.byteLength(JSON.stringify(o)) <= MAX_OBJECT_BYTES, {
    message: `must be at most ${MAX_OBJECT_BYTES / 1024} KiB as JSON`,
  }),
);

export const StepInput = z.strictObject({
  action: ActionName,
  agent_id: Identifier.optional(),
  parameters: JsonObject.default({}),
  critical: z.boolean().default(true),
  reversible: z.boolean().default(false),
  timeout_seconds: z.number().int().min(1).max(86_400).default(300),
  /** Indexes (from 0) of the steps this one runs after; without it, the step follows the previous one. */
  after: z.array(z.number().int()).max(50).optional(),
});
export type StepInput = z.infer<typeof StepInput>;

export const TimeWindow = z
  .strictObject({ not_before: Timestamp.optional(), not_after: Timestamp.optional() })
  .refine((w) => !w.not_before || !w.not_after || Date.parse(w.not_before) <= Date.parse(w.not_after), {
    message: 'not_before must not be after not_after',
    path: ['not_after'],
  });
export type TimeWindow = z.infer<typeof TimeWindow>;

export const RecommendationInput = z.strictObject({
  id: Identifier,
  agent_id: Identifier,
  agent_type: z.string().min(1).max(64),
  customer_id: Identifier.optional(),
  type: z.enum(RECOMMENDATION_TYPES),
  title: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(4000).default(''),
  action: ActionName,
  risk_level: RiskLevel,
  estimated_savings: z.number().min(-1e12).max(1e12).refine(isStorableNumber, STORABLE_NUMBER_MESSAGE).default(0),
  estimated_impact: z.string().max(1000).default(''),
  affected_resources: z
    .array(ResourceId)
    .max(1000)
    .default([])
    .transform((r) => [...new Set(r)]),
  parameters: JsonObject.default({}),
  dependencies: z
    .array(Identifier)
    .max(100)
    .default([])
    .transform((d) => [...new Set(d)]),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  confidence: z.number().min(0).max(1).refine(isStorableNumber, STORABLE_NUMBER_MESSAGE),
  expires_at: Timestamp.optional(),
  window: TimeWindow.optional(),
  steps: z
    .array(StepInput)
    .min(1)
    .max(50)
    .superRefine((steps, ctx) => {
      for (const issue of graphIssues(steps))
        ctx.addIssue({ code: 'custom', path: [issue.index, 'after'], message: issue.message });
    })
    .optional(),
  metadata: JsonObject.default({}),
});
export type RecommendationInput = z.infer<typeof RecommendationInput>;

export const CoordinateRequest = z
  .strictObject({
    customer_id: Identifier,
    recommendations: z.array(RecommendationInput).max(1000),
    auto_approve: z.boolean().default(false),
    execute_now: z.boolean().default(false),
    /** Answer what this call would decide, and store nothing, start nothing (issue 9 §8). */
    dry_run: z.boolean().default(false),
  })
  .superRefine((req, ctx) => {
    const seen = new Set<string>();
    req.recommendations.forEach((rec, i) => {
      if (seen.has(rec.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendations', i, 'id'],
          message: `duplicate id '${rec.id}' in this request`,
        });
      }
      seen.add(rec.id);
      if (rec.customer_id !== undefined && rec.customer_id !== req.customer_id) {
        ctx.addIssue({
          code: 'custom',
          path: ['recommendations', i, 'customer_id'],
          message: 'must equal the request customer_id',
        });
      }
    });
  });
export type CoordinateRequest = z.infer<typeof CoordinateRequest>;

const ApprovalRule = z.strictObject({
  approvals_required: z.number().int().min(0).max(10),
  expires_in_seconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400),
});
export type ApprovalRule = z.infer<typeof ApprovalRule>;

export const FreezeWindow = z
  .strictObject({ name: z.string().min(1).max(100), start: Timestamp, end: Timestamp })
  .refine((w) => Date.parse(w.start) < Date.parse(w.end), { message: 'end must be after start', path: ['end'] });
export type FreezeWindow = z.infer<typeof FreezeWindow>;

/** Fractions of an approval window, ascending, each strictly between 0 and 1. */
const ReminderFractions = z
  .array(z.number().gt(0).lt(1))
  .max(5)
  .refine((f) => f.every((x, i) => i === 0 || f[i - 1] < x), { message: 'must be in ascending order' });

/** A PUT may name only the risk levels it changes; the rest keep their defaults. */
export const PolicyInput = z.strictObject({
  risk: z
    .strictObject({
      low: ApprovalRule.optional(),
      medium: ApprovalRule.optional(),
      high: ApprovalRule.optional(),
      critical: ApprovalRule.optional(),
    })
    .default({}),
  freeze_windows: z.array(FreezeWindow).max(100).default([]),
  max_concurrent_executions: z.number().int().min(1).max(1000).default(10),
  /** The minimum risk of an action, whatever an agent declares (e.g. delete_database: critical). */
  action_risk: z
    .record(ActionName, RiskLevel)
    .refine((m) => Object.keys(m).length <= 500, { message: 'must name at most 500 actions' })
    .default({}),
  /** The minimum risk of actions action_risk does not name. */
  default_action_risk: RiskLevel.default('low'),
  /** How long an approved plan may wait for its resource locks or an execution slot before it gives up. */
  max_wait_seconds: z
    .number()
    .int()
    .min(60)
    .max(365 * 86_400)
    .default(86_400),
  /** How long an approved recommendation may stay idle (not executed) before it expires. */
  execute_within_seconds: z
    .number()
    .int()
    .min(60)
    .max(365 * 86_400)
    .default(604_800),
  /** Whether recommendations beaten by one that ends without running are re-evaluated. */
  revive_discarded: z.boolean().default(true),
  /** How many steps of one plan (run as a graph) may run at once. */
  max_parallel_steps: z.number().int().min(1).max(40).default(5),
  /** At most this many executions of an action run at once for the customer (e.g. migrate_to_spot: 3). */
  action_limits: z
    .record(ActionName, z.number().int().min(1).max(1000))
    .refine((m) => Object.keys(m).length <= 500, { message: 'must name at most 500 actions' })
    .default({}),
  /** An agent's circuit opens after this many consecutive transient failures or timeouts, for cool_down_seconds. */
  circuit_breaker: z
    .strictObject({
      failures: z.number().int().min(1).max(100).default(5),
      cool_down_seconds: z.number().int().min(1).max(86_400).default(300),
    })
    .default({ failures: 5, cool_down_seconds: 300 }),
  /** While true, coordination and approvals go on but no execution starts a step; they wait until resumed. */
  paused: z.boolean().default(false),
  /**
   * When approvers who have not voted are reminded, as fractions of the approval window (0.5: halfway).
   * A risk level left out keeps the default, [0.5, 0.9]; [] sends no reminder.
   */
  reminders: z
    .strictObject({
      low: ReminderFractions.optional(),
      medium: ReminderFractions.optional(),
      high: ReminderFractions.optional(),
      critical: ReminderFractions.optional(),
    })
    .default({}),
  /** Terminal recommendations, with their approvals, plans, votes and history, are deleted this long after they end. */
  retention_days: z.number().int().min(1).max(3650).default(90),
});
export type PolicyInput = z.infer<typeof PolicyInput>;

export const AgentRegistration = z.strictObject({
  agent_id: Identifier,
  customer_id: Identifier,
  endpoint_url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(2048)
    .optional(),
  /** `orchestrator`: its key may submit for, and name in steps, any agent registered to the customer. */
  role: z.enum(['agent', 'orchestrator']).default('agent'),
});
export type AgentRegistration = z.infer<typeof AgentRegistration>;

/** POST .../keys: a new key; the old ones keep working this long (0: revoked at once). */
export const KeyRotationRequest = z.strictObject({
  grace_seconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(0),
});

export const ApproverRegistration = z.strictObject({
  email: z.email({ message: 'must be an email address' }).max(320),
  name: z.string().trim().min(1).max(100).optional(),
});
export type ApproverRegistration = z.infer<typeof ApproverRegistration>;

export const ListRecommendationsQuery = z.strictObject({
  status: RecommendationStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  next: z.string().max(2048).optional(),
  customer_id: Identifier.optional(),
});

/** GET /coordination/coordinations/{id}/conflicts: a coordination's listed conflicts, page by page. */
export const ConflictsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  next: z.string().max(512).optional(),
  customer_id: Identifier.optional(),
});

/** GET /coordination/approvals: pending approvals, soonest expiry first, page by page. */
export const ListApprovalsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  next: z.string().max(2048).optional(),
  customer_id: Identifier.optional(),
});
