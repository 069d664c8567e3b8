// ApprovalGate on DynamoDB Local: quorum, veto, once-only decisions under concurrency, expiry,
// supersession, and the "Request approval" task. The workflow here only records signals; the
// workflow tests run the real ASL.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { Expired, StateConflict } from '../../functions/core/model/errors.js';
import { CoordinateRequest, PolicyInput } from '../../functions/core/model/inputs.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import { checkLink } from '../../functions/core/protocol/review-links.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { type Decision, decide } from '../../functions/core/use-cases/decide-approval.js';
import { recordOutcome } from '../../functions/core/use-cases/record-outcome.js';
import { type RegisteredApprover, registerApprover } from '../../functions/core/use-cases/register-approver.js';
import { requestApproval } from '../../functions/core/use-cases/request-approval.js';
import { rec } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

const SECRET = 'x'.repeat(48);
let now = new Date();
const clock = { now: () => now };
let deps: ReturnType<typeof makeDeps>;

function makeDeps(endpoint: string, table: string) {
  return {
    ...dynamoStores(endpoint, table),
    workflow: new RecordingWorkflow(),
    notifier: new RecordingNotifier(),
    clock,
    ids: { next: newId },
    linkSecret: async () => SECRET,
    publicUrl: 'https://arbiter.example/prod/',
  };
}

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  deps = makeDeps(endpoint, tableName);
});

async function pendingApproval(risk: 'medium' | 'critical', approverCount = 2) {
  now = new Date();
  const customer = `cust-${randomUUID().slice(0, 8)}`;
  const approvers: RegisteredApprover[] = [];
  for (let i = 0; i < approverCount; i++)
    approvers.push(await registerApprover({ customer_id: customer, email: `approver${i}@example.com` }, deps));
  const result = await coordinate(
    CoordinateRequest.parse({
      customer_id: customer,
      recommendations: [rec({ id: 'risky', risk_level: risk, action: 'migrate_to_spot', affected_resources: ['i-1'] })],
    }),
    deps,
  );
  const approval = result.approvals[0];
  const as = (i: number, decision: 'approve' | 'reject' = 'approve', reason?: string): Decision => ({
    customerId: customer,
    approvalId: approval.id,
    approver: { id: approvers[i].approver_id, email: approvers[i].email },
    decision,
    reason,
    via: 'api',
  });
  return { customer, approval, approvers, as };
}

async function recommendation(customer: string) {
  const [r] = await deps.recommendations.getRecommendations(customer, ['risky']);
  return r;
}

describe('decisions', () => {
  it('approves with one approver for medium risk, recording history and creating the plan', async () => {
    const { customer, as } = await pendingApproval('medium');
    const result = await decide(as(0), deps);
    expect(result.effect).toBe('approved');
    expect(result.approval).toMatchObject({ status: 'approved', approved_by: 'approver0@example.com' });
    const r = await recommendation(customer);
    expect(r.history.map((h) => h.status)).toEqual(['pending_approval', 'approved']);
    const plan = await deps.plans.getPlan(customer, r.plan_id!);
    expect(plan?.steps.map((s) => s.action)).toEqual(['take_snapshot', 'migrate_workload', 'validate_quality']);
  });

  it('needs two different approvers for critical risk; the same approver twice counts once', async () => {
    const { customer, as } = await pendingApproval('critical');
    expect((await decide(as(0), deps)).effect).toBe('vote_recorded');
    expect((await decide(as(0), deps)).effect).toBe('already_voted');
    expect((await recommendation(customer)).status).toBe('pending_approval');
    const second = await decide(as(1), deps);
    expect(second.effect).toBe('approved');
    expect(second.approval.votes.map((v) => v.approver)).toEqual(['approver0@example.com', 'approver1@example.com']);
  });

  it('lets one rejection veto a critical recommendation after an approval', async () => {
    const { customer, as } = await pendingApproval('critical');
    await decide(as(0), deps);
    const veto = await decide(as(1, 'reject', 'too risky during peak hours'), deps);
    expect(veto.approval).toMatchObject({
      status: 'rejected',
      rejected_by: 'approver1@example.com',
      rejection_reason: 'too risky during peak hours',
    });
    expect((await recommendation(customer)).status).toBe('rejected');
    await expect(decide(as(0), deps)).rejects.toBeInstanceOf(StateConflict);
  });

  it('refuses a decision after the expiry with Expired, and the workflow expiry records it once', async () => {
    const { customer, approval, as } = await pendingApproval('medium');
    now = new Date(Date.parse(approval.expires_at) + 1000);
    await expect(decide(as(0), deps)).rejects.toBeInstanceOf(Expired);
    const input = {
      customer_id: customer,
      recommendation_id: 'risky',
      approval_id: approval.id,
      outcome: 'expired' as const,
    };
    expect(await recordOutcome(input, deps)).toEqual({ changed: true, outcome: 'expired' });
    expect(await recordOutcome(input, deps)).toEqual({ changed: false, outcome: 'expired' });
    expect((await recommendation(customer)).status).toBe('expired');
    expect((await deps.approvals.getApproval(customer, approval.id))?.status).toBe('expired');
    await expect(decide(as(1), deps)).rejects.toBeInstanceOf(Expired);
  });

  it('records exactly one decision and signals the workflow once when twenty approvers decide at once', async () => {
    const { customer, approval, as } = await pendingApproval('medium', 20);
    await requestApproval(
      {
        customer_id: customer,
        recommendation_id: 'risky',
        approval_id: approval.id,
        task_token: `token-${approval.id}`,
      },
      deps,
    );
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => decide(as(i), deps)));
    const decided = results.filter((r) => r.status === 'fulfilled' && r.value.effect === 'approved');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(decided).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StateConflict);
    expect((await deps.approvals.getApproval(customer, approval.id))?.votes).toHaveLength(1);
    expect(deps.workflow.signals.filter((s) => s.token === `token-${approval.id}`)).toEqual([
      { token: `token-${approval.id}`, kind: 'success', detail: { decision: 'approved', approval_id: approval.id } },
    ]);
  });
});

describe('the "Request approval" task', () => {
  it('emails each approver a link signed for them, once even when the task is retried', async () => {
    const { customer, approval, approvers } = await pendingApproval('critical', 2);
    const before = deps.notifier.published.length;
    const input = { customer_id: customer, recommendation_id: 'risky', approval_id: approval.id, task_token: 't1' };
    expect(await requestApproval(input, deps)).toEqual({ notified: 2 });
    expect(await requestApproval(input, deps)).toEqual({ notified: 0 });
    const messages = deps.notifier.published.slice(before);
    expect(messages.map((m) => m.attributes.approver)).toEqual(approvers.map((a) => a.email));
    for (const message of messages) {
      expect(message.text).toContain('Risk: critical');
      const link = new URL(/https:\/\/\S+/.exec(message.text)![0]);
      expect(link.pathname).toBe(`/prod/approvals/${approval.id}/review`);
      expect(link.searchParams.get('approver')).toBe(message.attributes.approver_id);
      const check = checkLink(
        {
          approvalId: approval.id,
          approverId: link.searchParams.get('approver')!,
          expires: Number(link.searchParams.get('expires')),
        },
        link.searchParams.get('sig')!,
        SECRET,
        now,
      );
      expect(check).toBe('valid');
      expect(Number(link.searchParams.get('expires')) * 1000).toBe(
        Math.floor(Date.parse(approval.expires_at) / 1000) * 1000,
      );
    }
  });

  it('signals a retried task on its new token when the decision reached only the old one', async () => {
    const { customer, approval, as } = await pendingApproval('medium');
    const input = { customer_id: customer, recommendation_id: 'risky', approval_id: approval.id };
    await requestApproval({ ...input, task_token: 'attempt-1' }, deps);
    await decide(as(0), deps);
    await requestApproval({ ...input, task_token: 'attempt-2' }, deps);
    expect(deps.workflow.signals.filter((s) => s.token.startsWith('attempt-')).map((s) => s.token)).toEqual([
      'attempt-1',
      'attempt-2',
    ]);
  });

  it('signals the workflow at once when the decision came before the token', async () => {
    const { customer, approval, as } = await pendingApproval('medium');
    await decide(as(0), deps);
    await requestApproval(
      { customer_id: customer, recommendation_id: 'risky', approval_id: approval.id, task_token: 'late-token' },
      deps,
    );
    expect(deps.workflow.signals.filter((s) => s.token === 'late-token').map((s) => s.kind)).toEqual(['success']);
  });
});

describe('supersession while pending', () => {
  it('cancels the approval and fails the waiting task as Superseded', async () => {
    const { customer, approval, as } = await pendingApproval('medium');
    await requestApproval(
      { customer_id: customer, recommendation_id: 'risky', approval_id: approval.id, task_token: 'waiting' },
      deps,
    );
    await coordinate(
      CoordinateRequest.parse({
        customer_id: customer,
        recommendations: [rec({ id: 'better', risk_level: 'medium', affected_resources: ['i-1'], priority: 99 })],
      }),
      deps,
    );
    expect((await recommendation(customer)).status).toBe('superseded');
    expect((await deps.approvals.getApproval(customer, approval.id))?.status).toBe('cancelled');
    expect(deps.workflow.signals.filter((s) => s.token === 'waiting')).toEqual([
      { token: 'waiting', kind: 'failure', detail: 'Superseded' },
    ]);
    await expect(decide(as(0), deps)).rejects.toBeInstanceOf(StateConflict);
  });
});

describe('an approval that could not be requested', () => {
  it('fails the recommendation and cancels the approval, so a late decision approves nothing', async () => {
    const { customer, approval, as } = await pendingApproval('medium');
    const input = {
      customer_id: customer,
      recommendation_id: 'risky',
      approval_id: approval.id,
      outcome: 'approval_failed' as const,
    };
    expect(await recordOutcome(input, deps)).toEqual({ changed: true, outcome: 'approval_failed' });
    expect((await recommendation(customer)).status).toBe('failed');
    await expect(decide(as(0), deps)).rejects.toBeInstanceOf(StateConflict);
  });
});

describe('losers get a second chance (issue 13 §5)', () => {
  /** W (medium, needs approval) beats L on db-1 in one batch; B stands active on db-2 beside it. */
  async function wBeatsL(policy?: Record<string, unknown>) {
    now = new Date();
    const customer = `cust-${randomUUID().slice(0, 8)}`;
    if (policy) await deps.policies.putPolicy(customer, PolicyInput.parse(policy));
    const approver = await registerApprover({ customer_id: customer, email: 'alice@example.com' }, deps);
    const recommendations = [
      rec({ id: 'W', risk_level: 'medium', affected_resources: ['db-1'], priority: 9 }),
      rec({ id: 'L', affected_resources: ['db-1'], priority: 5 }),
      rec({ id: 'L2', affected_resources: ['db-1', 'db-2'], priority: 4 }),
      rec({ id: 'B', risk_level: 'medium', affected_resources: ['db-2'], priority: 8 }),
    ];
    const result = await coordinate(CoordinateRequest.parse({ customer_id: customer, recommendations }), deps);
    expect(result.not_kept.map((n) => [n.id, n.resolved_by])).toEqual(
      expect.arrayContaining([
        ['L', 'W'],
        ['L2', 'W'],
      ]),
    );
    const approvalId = result.approvals.find((a) => a.recommendation_id === 'W')!.id;
    const reject: Decision = {
      customerId: customer,
      approvalId,
      approver: { id: approver.approver_id, email: approver.email },
      decision: 'reject',
      reason: 'not now',
      via: 'api',
    };
    return { customer, reject };
  }
  const get = async (customer: string, id: string) =>
    (await deps.recommendations.getRecommendations(customer, [id]))[0];

  it('W is rejected: L comes back approved with its plan and workflow; L2, still beaten by active B, stays discarded', async () => {
    const { customer, reject } = await wBeatsL();
    expect((await decide(reject, deps)).effect).toBe('rejected');
    const l = await get(customer, 'L');
    expect(l).toMatchObject({ status: 'approved', plan_id: expect.any(String) });
    expect(l.resolved_by).toBeUndefined();
    expect(l.history.at(-1)).toMatchObject({
      status: 'approved',
      reason: expect.stringMatching(/^revived: W was rejected by alice@example.com/),
    });
    expect(await deps.plans.getPlan(customer, l.plan_id!)).toMatchObject({ recommendation_id: 'L', status: 'pending' });
    expect(deps.workflow.started.get(executionName(customer, 'L'))).toMatchObject({
      recommendation_id: 'L',
      approval: { required: false },
    });
    expect(await get(customer, 'L2')).toMatchObject({ status: 'discarded', resolved_by: 'W' });
  });

  it('revive_discarded false leaves the losers discarded', async () => {
    const { customer, reject } = await wBeatsL({ revive_discarded: false });
    await decide(reject, deps);
    expect(await get(customer, 'L')).toMatchObject({ status: 'discarded', resolved_by: 'W' });
  });
});

describe('a rejection cancels what depends on it (issue 13 §6)', () => {
  it('A rejected: D (pending approval) is withdrawn with the reason, E (approved, idle) has its workflow stopped, F (unrelated) stays', async () => {
    now = new Date();
    const customer = `cust-${randomUUID().slice(0, 8)}`;
    const approver = await registerApprover({ customer_id: customer, email: 'alice@example.com' }, deps);
    const recommendations = [
      rec({ id: 'A', risk_level: 'medium', affected_resources: ['a-1'] }),
      rec({ id: 'D', risk_level: 'medium', affected_resources: ['d-1'], dependencies: ['A'] }),
      rec({ id: 'E', affected_resources: ['e-1'], dependencies: ['D'] }),
      rec({ id: 'F', affected_resources: ['f-1'] }),
    ];
    const result = await coordinate(
      CoordinateRequest.parse({ customer_id: customer, recommendations, auto_approve: true, execute_now: false }),
      deps,
    );
    const approvalOf = (id: string) => result.approvals.find((a) => a.recommendation_id === id)!.id;
    // The D workflow is waiting on its approval: its token is stored, so it is signalled at once.
    await deps.approvals.storeTaskToken(customer, approvalOf('D'), `token-D-${customer}`);

    await decide(
      {
        customerId: customer,
        approvalId: approvalOf('A'),
        approver: { id: approver.approver_id, email: approver.email },
        decision: 'reject',
        reason: 'no',
        via: 'api',
      },
      deps,
    );

    const [a, d, e, f] = await Promise.all(
      ['A', 'D', 'E', 'F'].map(async (id) => (await deps.recommendations.getRecommendations(customer, [id]))[0]),
    );
    expect(a.status).toBe('rejected');
    expect([d.status, d.status_reason]).toEqual(['cancelled', 'dependency A was rejected by alice@example.com']);
    expect([e.status, e.status_reason]).toEqual([
      'cancelled',
      'dependency D was cancelled because A was rejected by alice@example.com',
    ]);
    expect(f.status).toBe('approved');
    expect(await deps.approvals.getApproval(customer, approvalOf('D'))).toMatchObject({
      status: 'cancelled',
      closed_reason: d.status_reason,
    });
    expect(deps.workflow.signals).toContainEqual({
      token: `token-D-${customer}`,
      kind: 'failure',
      detail: 'Superseded',
    });
    expect(deps.workflow.stopped).toContain(executionName(customer, 'E'));
    expect(deps.workflow.stopped).not.toContain(executionName(customer, 'F'));
  });
});
