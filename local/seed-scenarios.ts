// Seed 001, STEP 5, tests 1–3, STEP 6 (approvals) and STEP 7 (execution): the seed's curl payloads (with the customer id of the run instead
// of "customer-1", so runs never collide) and what the seed and DESIGN.md say must come back.
// The demo prints these; the e2e test asserts them.
import { isDeepStrictEqual } from 'node:util';
import type { ExecutionPlan, HistoryEntry } from '../functions/core/model/records.js';

export interface Outcome {
  conflicts_detected: number;
  conflicts_resolved: number;
  recommendations_kept: number;
  approvals_required: number;
  auto_approved: number;
  /** `type/severity` of each conflict, sorted. */
  conflicts: string[];
  /** Ids of the kept recommendations, sorted. */
  kept: string[];
}

export interface Scenario {
  name: string;
  request(customerId: string): {
    customer_id: string;
    recommendations: Record<string, unknown>[];
    auto_approve: boolean;
    execute_now: boolean;
  };
  expected: Outcome;
}

type SeedRecommendation = Record<string, unknown> & { id: string };

function batch(recommendations: SeedRecommendation[], autoApprove: boolean, executeNow = false): Scenario['request'] {
  return (customerId) => ({
    customer_id: customerId,
    recommendations: recommendations.map((rec) => ({ ...rec, customer_id: customerId })),
    auto_approve: autoApprove,
    execute_now: executeNow,
  });
}

/**
 * The agents the seed's batches speak for. A plain agent key may submit only its own agent's
 * recommendations, so the demo and the tests register these and submit with an orchestrator key.
 */
export const SEED_AGENTS = ['cost-agent-1', 'perf-agent-1', 'resource-agent-1'] as const;

export const SEED_SCENARIOS: readonly Scenario[] = [
  {
    name: 'Test 1: simple coordination (no conflicts)',
    request: batch(
      [
        {
          id: 'rec-001',
          agent_id: 'cost-agent-1',
          agent_type: 'cost',
          type: 'cost',
          title: 'Migrate to Spot Instances',
          description: 'Migrate 5 instances to spot pricing',
          action: 'migrate_to_spot',
          risk_level: 'medium',
          estimated_savings: 2000.0,
          affected_resources: ['i-001', 'i-002', 'i-003'],
          priority: 10,
          confidence: 0.92,
        },
        {
          id: 'rec-002',
          agent_id: 'perf-agent-1',
          agent_type: 'performance',
          type: 'performance',
          title: 'Optimize KV Cache',
          description: 'Tune KV cache for better latency',
          action: 'optimize_kv_cache',
          risk_level: 'low',
          estimated_savings: 500.0,
          affected_resources: ['model-a'],
          priority: 5,
          confidence: 0.88,
        },
      ],
      true,
    ),
    expected: {
      conflicts_detected: 0,
      conflicts_resolved: 0,
      recommendations_kept: 2,
      approvals_required: 1,
      auto_approved: 1,
      conflicts: [],
      kept: ['rec-001', 'rec-002'],
    },
  },
  {
    name: 'Test 2: resource conflict',
    request: batch(
      [
        {
          id: 'rec-003',
          agent_id: 'cost-agent-1',
          agent_type: 'cost',
          type: 'cost',
          title: 'Migrate to Spot',
          action: 'migrate_to_spot',
          risk_level: 'medium',
          estimated_savings: 2000.0,
          affected_resources: ['i-101', 'i-102', 'i-103'],
          priority: 10,
          confidence: 0.92,
        },
        {
          id: 'rec-004',
          agent_id: 'resource-agent-1',
          agent_type: 'resource',
          type: 'resource',
          title: 'Scale Down Cluster',
          action: 'scale_down',
          risk_level: 'medium',
          estimated_savings: 1500.0,
          affected_resources: ['i-102', 'i-103', 'i-104'],
          priority: 8,
          confidence: 0.85,
        },
      ],
      false,
    ),
    expected: {
      conflicts_detected: 1,
      conflicts_resolved: 1,
      recommendations_kept: 1,
      approvals_required: 1,
      auto_approved: 0,
      conflicts: ['resource/medium'],
      kept: ['rec-003'],
    },
  },
  {
    name: 'Test 3: action conflict',
    request: batch(
      [
        {
          id: 'rec-005',
          agent_id: 'resource-agent-1',
          agent_type: 'resource',
          type: 'resource',
          title: 'Scale Up',
          action: 'scale_up',
          risk_level: 'low',
          estimated_savings: 0,
          affected_resources: ['cluster-a'],
          priority: 8,
          confidence: 0.9,
        },
        {
          id: 'rec-006',
          agent_id: 'cost-agent-1',
          agent_type: 'cost',
          type: 'cost',
          title: 'Scale Down',
          action: 'scale_down',
          risk_level: 'medium',
          estimated_savings: 1000.0,
          affected_resources: ['cluster-a'],
          priority: 10,
          confidence: 0.88,
        },
      ],
      false,
    ),
    // One pair, two conflicts (DESIGN.md: once per pair and type); resource takes the pair's higher risk.
    expected: {
      conflicts_detected: 2,
      conflicts_resolved: 2,
      recommendations_kept: 1,
      approvals_required: 1,
      auto_approved: 0,
      conflicts: ['action/high', 'resource/medium'],
      kept: ['rec-006'],
    },
  },
];

export interface CoordinationConflict {
  type: string;
  severity: string;
  description: string;
  resolution: string;
}

export interface CoordinationResponse extends Omit<Outcome, 'conflicts' | 'kept'> {
  conflicts: CoordinationConflict[];
  recommendations: { id: string }[];
  execution_plans: ExecutionPlan[];
}

export function outcomeOf(response: CoordinationResponse): Outcome {
  return {
    conflicts_detected: response.conflicts_detected,
    conflicts_resolved: response.conflicts_resolved,
    recommendations_kept: response.recommendations_kept,
    approvals_required: response.approvals_required,
    auto_approved: response.auto_approved,
    conflicts: response.conflicts.map((c) => `${c.type}/${c.severity}`).sort(),
    kept: response.recommendations.map((r) => r.id).sort(),
  };
}

/** The fields where `actual` differs from `expected`, as `field: expected … got …` lines. */
export function mismatches<T extends object>(expected: T, actual: T): string[] {
  return (Object.keys(expected) as (keyof T & string)[])
    .filter((field) => !isDeepStrictEqual(expected[field], actual[field]))
    .map((field) => `${field}: expected ${JSON.stringify(expected[field])}, got ${JSON.stringify(actual[field])}`);
}

/** Seed 001 STEP 6: the seed's approver, the approval test 1 lists, test 3's recommendation, and the answers. */
export const APPROVAL_STEPS = {
  approver: 'admin@example.com',
  /** Test 1 lists the approval STEP 5 test 2 asked for: rec-003, medium risk, 48 h to decide (DESIGN.md). */
  listed: (customerId: string): ListedApproval => ({
    recommendation_id: 'rec-003',
    customer_id: customerId,
    risk_level: 'medium',
    status: 'pending',
    hours_to_decide: 48,
  }),
  approvedMessage: 'Recommendation approved',
  /** Test 3: a high-risk recommendation to reject, with the seed's reason. */
  toReject: batch(
    [
      {
        id: 'rec-007',
        agent_id: 'cost-agent-1',
        agent_type: 'cost',
        type: 'cost',
        title: 'Database Migration',
        action: 'migrate_database',
        risk_level: 'high',
        estimated_savings: 5000.0,
        affected_resources: ['db-prod'],
        priority: 15,
        confidence: 0.75,
      },
    ],
    false,
  ),
  rejectReason: 'Too risky during peak hours',
  rejectedMessage: 'Recommendation rejected',
};

/** What seed STEP 6 test 1 shows of a pending approval (its id and timestamps vary by run). */
export interface ListedApproval {
  recommendation_id: string;
  customer_id: string;
  risk_level: string;
  status: string;
  /** From requested_at to expires_at. */
  hours_to_decide: number;
}

export interface ApprovalListing {
  approvals: (Omit<ListedApproval, 'hours_to_decide'> & { id: string; requested_at: string; expires_at: string })[];
  count: number;
}

export function listedApproval(approval: ApprovalListing['approvals'][number]): ListedApproval {
  const { recommendation_id, customer_id, risk_level, status } = approval;
  return {
    recommendation_id,
    customer_id,
    risk_level,
    status,
    hours_to_decide: (Date.parse(approval.expires_at) - Date.parse(approval.requested_at)) / 3_600_000,
  };
}

/** Seed 001 STEP 7, test 1: rec-008, low risk, approved and run at once. */
const REC_008: SeedRecommendation = {
  id: 'rec-008',
  agent_id: 'cost-agent-1',
  agent_type: 'cost',
  type: 'cost',
  title: 'Migrate to Spot',
  action: 'migrate_to_spot',
  risk_level: 'low',
  estimated_savings: 3000.0,
  affected_resources: ['i-201', 'i-202'],
  priority: 10,
  confidence: 0.95,
};

/** The seed's migrate_to_spot plan: test 1 shows the steps, test 2 what each returned. */
const SEED_STEPS = [
  { action: 'take_snapshot', critical: true, reversible: true, result: { snapshot_id: 'snap-12345678', size_gb: 100 } },
  {
    action: 'migrate_workload',
    critical: true,
    reversible: true,
    result: { migrated_instances: 3, status: 'completed' },
  },
  { action: 'validate_quality', critical: true, reversible: false, result: { quality_score: 0.95, passed: true } },
];

/** Seed STEP 7 test 1's plan, as the coordination answers it. */
export interface CreatedPlan {
  recommendation_id: string;
  status: string;
  steps: { action: string; critical: boolean; reversible: boolean; status: string }[];
}

export function createdPlan(plan: ExecutionPlan): CreatedPlan {
  return {
    recommendation_id: plan.recommendation_id,
    status: plan.status,
    steps: plan.steps.map(({ action, critical, reversible, status }) => ({ action, critical, reversible, status })),
  };
}

/**
 * What a result looks like: numbers and booleans by type, strings as they are but for a trailing id
 * of 8 hex digits (the seed's snap-12345678 and a run's snap-1f0c9a2e are both snap-xxxxxxxx).
 */
export function resultShape(result: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!result) return undefined;
  return Object.fromEntries(
    Object.entries(result).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replace(/\b[0-9a-f]{8}$/, 'xxxxxxxx') : typeof value,
    ]),
  );
}

/** Seed STEP 7 test 2's plan once it ended, its results by shape (ids and timings vary by run). */
export interface FinishedPlan {
  status: string;
  /** The recommendation's status once its plan ended. */
  recommendation_status: string;
  steps: { action: string; status: string; result?: Record<string, string> }[];
  /** Every step has a duration, and the plan took at least as long as its steps together. */
  timed: boolean;
}

export function finishedPlan(plan: ExecutionPlan, recommendationStatus: string): FinishedPlan {
  const stepsTook = plan.steps.reduce((sum, s) => sum + s.duration_ms, 0);
  return {
    status: plan.status,
    recommendation_status: recommendationStatus,
    steps: plan.steps.map((s) => ({ action: s.action, status: s.status, result: resultShape(s.result) })),
    timed:
      plan.steps.every((s) => Number.isInteger(s.duration_ms)) &&
      Number.isInteger(plan.total_duration_ms) &&
      plan.total_duration_ms >= stepsTook,
  };
}

/** Seed STEP 7 test 3 (the seed only reads the rollback code; here a failure is injected): how it ended. */
export interface RolledBackRun {
  recommendation_status: string;
  plan_status: string;
  /** `action: status` of each step. */
  steps: string[];
  /** Steps the recommendation's history does not name. */
  not_in_history: string[];
}

export function rolledBackRun(
  recommendation: { status: string; history: HistoryEntry[] },
  plan: ExecutionPlan,
): RolledBackRun {
  return {
    recommendation_status: recommendation.status,
    plan_status: plan.status,
    steps: plan.steps.map((s) => `${s.action}: ${s.status}`),
    not_in_history: plan.steps
      .map((s) => s.action)
      .filter((action) => !recommendation.history.some((h) => h.reason.includes(action))),
  };
}

const FAILING_STEP = 'migrate_workload';

/** Seed 001 STEP 7: the requests and what must come back. */
export const EXECUTION_STEPS = {
  toExecute: batch([REC_008], true, true),
  created: {
    recommendation_id: 'rec-008',
    status: 'pending',
    steps: SEED_STEPS.map(({ action, critical, reversible }) => ({ action, critical, reversible, status: 'pending' })),
  } satisfies CreatedPlan,
  completed: {
    status: 'completed',
    recommendation_status: 'completed',
    steps: SEED_STEPS.map(({ action, result }) => ({ action, status: 'completed', result: resultShape(result) })),
    timed: true,
  } satisfies FinishedPlan,
  /** Test 3: rec-008 again as rec-009, on another instance, with the simulated agents told to fail migrate_workload. */
  toFail: batch(
    [
      {
        ...REC_008,
        id: 'rec-009',
        affected_resources: ['i-301'],
        parameters: { simulate: { fail_steps: [FAILING_STEP] } },
      },
    ],
    true,
    true,
  ),
  failingStep: FAILING_STEP,
  rolledBack: {
    recommendation_status: 'rolled_back',
    plan_status: 'rolled_back',
    steps: ['take_snapshot: rolled_back', `${FAILING_STEP}: failed`, 'validate_quality: skipped'],
    not_in_history: [],
  } satisfies RolledBackRun,
  /** POST /coordination/plans/{id}/execute on an approved plan that did not run at once. */
  executeAnswer: { status: 202, message: 'Execution started' },
};
