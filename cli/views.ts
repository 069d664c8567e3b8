// How each answer reads without --json.
import type {
  ApprovalPage,
  ConflictPage,
  CoordinationResponse,
  DecisionAnswer,
  ExecutionPlan,
  Health,
  PolicyView,
  RecommendationPage,
  RecommendationView,
  RegisteredAgent,
  RegisteredApprover,
  RevokedKey,
  RotatedAgentKey,
  RotatedApproverKey,
} from '../sdk/client.js';
import { duration, fields, section, table } from './format.js';

const SHOWN_ONCE = 'Shown once: keep the key (and the signing secret) now.';

export function registeredAgent(agent: RegisteredAgent): string {
  return [
    `agent ${agent.agent_id} registered for ${agent.customer_id} (${agent.role})`,
    fields([
      ['endpoint_url', agent.endpoint_url ?? '(none: simulated agents answer locally)'],
      ['key_id', agent.key_id],
      ['api_key', agent.api_key],
      ['signing_secret', agent.signing_secret],
    ]),
    SHOWN_ONCE,
  ].join('\n');
}

export function registeredApprover(approver: RegisteredApprover): string {
  return [
    `approver ${approver.email} ${approver.reissued ? 'registered again (old keys revoked)' : 'registered'} for ${approver.customer_id}`,
    fields([
      ['approver_id', approver.approver_id],
      ['key_id', approver.key_id],
      ['api_key', approver.api_key],
      ['subscription', approver.subscription],
    ]),
    SHOWN_ONCE,
  ].join('\n');
}

export function rotatedKey(key: RotatedAgentKey | RotatedApproverKey): string {
  const owner = 'agent_id' in key ? `agent ${key.agent_id}` : `approver ${key.approver_id}`;
  return [
    `new key for ${owner} of ${key.customer_id}`,
    fields([
      ['key_id', key.key_id],
      ['api_key', key.api_key],
      ['signing_secret', key.signing_secret],
      ['previous keys valid until', key.previous_valid_until ?? 'revoked now'],
    ]),
  ].join('\n');
}

export const revokedKey = (key: RevokedKey) => `key ${key.key_id} of ${key.agent_id ?? key.approver_id} revoked`;

export function coordination(result: CoordinationResponse): string {
  const approvalOf = new Map(result.approvals.map((a) => [a.recommendation_id, a]));
  const planOf = new Map(result.execution_plans.map((p) => [p.recommendation_id, p]));
  const parts = [
    `${result.dry_run ? 'dry run (nothing stored, nothing started): ' : ''}coordination ${result.id} for ${result.customer_id}: ${result.total_recommendations} submitted, ` +
      `${result.recommendations_kept} kept, ${result.conflicts_detected} conflicts, ${result.approvals_required} approvals needed`,
    section(
      'kept',
      table(
        ['id', 'status', 'risk', 'action', 'approval', 'plan'],
        result.recommendations.map((r) => [
          r.id,
          r.status,
          r.effective_risk ?? r.risk_level,
          r.action,
          approvalOf.get(r.id)?.id,
          planOf.get(r.id)?.id,
        ]),
      ),
    ),
  ];
  if (result.not_kept.length > 0)
    parts.push(
      section(
        'not kept',
        table(
          ['id', 'status', 'reason'],
          result.not_kept.map((r) => [r.id, r.status, r.reason]),
        ),
      ),
    );
  if (result.duplicates.length > 0)
    parts.push(
      section(
        'already known',
        table(
          ['id', 'status'],
          result.duplicates.map((d) => [d.id, d.status]),
        ),
      ),
    );
  if (result.conflicts.length > 0) parts.push(section('conflicts', conflictRows(result.conflicts)));
  return parts.join('\n');
}

function conflictRows(conflicts: CoordinationResponse['conflicts']): string {
  return table(
    ['type', 'severity', 'between', 'resolution'],
    conflicts.map((c) => [c.type, c.severity, c.recommendation_ids.join(' / '), c.resolution]),
  );
}

export function conflictPage(page: ConflictPage): string {
  const more = page.next ? `\nmore: --next ${page.next}` : '';
  return `${page.count} of ${page.conflicts_listed} listed conflicts (${page.conflicts_detected} detected)\n${conflictRows(page.conflicts)}${more}`;
}

export function recommendationPage(page: RecommendationPage): string {
  const rows = page.recommendations.map((r) => [
    r.id,
    r.status,
    r.effective_risk ?? r.risk_level,
    r.action,
    r.agent_id,
    r.title,
  ]);
  const more = page.next ? `\nmore: --next ${page.next}` : '';
  return `${table(['id', 'status', 'risk', 'action', 'agent', 'title'], rows)}${more}`;
}

export function recommendation(view: RecommendationView): string {
  const parts = [
    fields([
      ['id', view.id],
      ['title', view.title],
      ['status', view.status],
      ['reason', view.status_reason],
      ['action', view.action],
      [
        'risk',
        view.effective_risk && view.effective_risk !== view.risk_level
          ? `${view.effective_risk} (declared ${view.risk_level})`
          : view.risk_level,
      ],
      ['agent', view.agent_id],
      ['resources', view.affected_resources.join(', ')],
      ['dependencies', view.dependencies.join(', ')],
      ['resolved by', view.resolved_by],
      ['approval', view.approval ? `${view.approval.id} (${view.approval.status})` : undefined],
      ['plan', view.plan ? `${view.plan.id} (${view.plan.status})` : undefined],
    ]),
  ];
  if (view.plan) parts.push(section('steps', steps(view.plan)));
  parts.push(
    section(
      'history',
      table(
        ['at', 'status', 'by', 'reason'],
        view.history.map((h) => [h.at, h.status, h.by, h.reason]),
      ),
    ),
  );
  return parts.join('\n');
}

function steps(plan: ExecutionPlan): string {
  return table(
    ['#', 'action', 'agent', 'status', 'took', 'error'],
    plan.steps.map((s) => [s.index + 1, s.action, s.agent_id, s.status, duration(s.duration_ms), s.error]),
  );
}

export function plan(p: ExecutionPlan): string {
  return [
    `plan ${p.id} of ${p.recommendation_id}: ${p.status}${p.total_duration_ms ? ` (${duration(p.total_duration_ms)})` : ''}`,
    steps(p),
  ].join('\n');
}

export function approvalPage(page: ApprovalPage): string {
  const rows = page.approvals.map((a) => [
    a.id,
    a.recommendation_id,
    a.effective_risk,
    `${a.votes.filter((v) => v.decision === 'approve').length} of ${a.approvals_required}`,
    a.voted_by_me ? 'yes' : 'no',
    a.expires_at,
    a.title,
  ]);
  const more = page.next ? `\nmore: --next ${page.next}` : '';
  return `${table(['approval', 'recommendation', 'risk', 'votes', 'voted', 'expires', 'title'], rows)}${more}`;
}

export const decision = (answer: DecisionAnswer) =>
  `${answer.message} (approval ${answer.approval.id}: ${answer.approval.status})`;

export function policy(view: PolicyView): string {
  return [
    `policy of ${view.customer_id}${view.customized ? '' : ' (defaults)'}`,
    table(
      ['risk', 'approvals required', 'expires in'],
      (['low', 'medium', 'high', 'critical'] as const).map((level) => [
        level,
        view.risk[level].approvals_required,
        `${view.risk[level].expires_in_seconds} s`,
      ]),
    ),
    '',
    fields([
      ['max_concurrent_executions', view.max_concurrent_executions],
      ['default_action_risk', view.default_action_risk],
      [
        'action_risk',
        Object.entries(view.action_risk)
          .map(([a, r]) => `${a}: ${r}`)
          .join(', ') || '(none)',
      ],
      ['freeze_windows', view.freeze_windows.map((w) => `${w.name} ${w.start}..${w.end}`).join(', ') || '(none)'],
      ['max_wait_seconds', view.max_wait_seconds],
      ['execute_within_seconds', view.execute_within_seconds],
      ['revive_discarded', view.revive_discarded],
    ]),
  ].join('\n');
}

export function health(h: Health): string {
  return [
    `${h.service} ${h.version}: ${h.status}`,
    table(
      ['component', 'status', 'latency', 'error'],
      Object.entries(h.components).map(([name, c]) => [name, c.status, `${c.latency_ms} ms`, c.error]),
    ),
  ].join('\n');
}
