// Reminders and escalation (issue 9 §9) on DynamoDB Local and the local SNS: the "Remind approvers"
// task at each reminder time emails every approver who has not voted, through their filtered
// subscription, with a link signed for them; past the expiry it alerts the operators, naming the
// approval, the recommendation and who did not answer, and fails Expired for "Record expiry".
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.js';
import { CoordinateRequest, PolicyInput } from '../../functions/core/model/inputs.js';
import type { Approval } from '../../functions/core/model/records.js';
import type { Notifier } from '../../functions/core/ports/notifier.js';
import { checkLink } from '../../functions/core/protocol/review-links.js';
import { APPROVAL_TIMEOUT_GRACE_SECONDS } from '../../functions/core/rules/reminders.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { decide } from '../../functions/core/use-cases/decide-approval.js';
import { alertUnansweredExpiry } from '../../functions/core/use-cases/escalate-expiry.js';
import { recordOutcome } from '../../functions/core/use-cases/record-outcome.js';
import { type RegisteredApprover, registerApprover } from '../../functions/core/use-cases/register-approver.js';
import { remindApprovers } from '../../functions/core/use-cases/remind-approvers.js';
import { requestApproval } from '../../functions/core/use-cases/request-approval.js';
import { type OutboxMessage, type SnsLocal, startSnsLocal } from '../../local/sns/index.js';
import { rec } from '../support/fixtures.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

const SECRET = 'r'.repeat(48);
let now = new Date();
const clock = { now: () => now };
let sns: SnsLocal;
let deps: ReturnType<typeof makeDeps>;

function makeDeps(endpoint: string, table: string) {
  return {
    ...dynamoStores(endpoint, table),
    workflow: new RecordingWorkflow(),
    notifier: new SnsNotifier(sns.topicArn, sns.endpoint),
    clock,
    ids: { next: newId },
    linkSecret: async () => SECRET,
    publicUrl: 'https://arbiter.example/prod/',
  };
}

beforeAll(async () => {
  sns = await startSnsLocal({ dataPath: null });
  const { endpoint, tableName } = await freshTable();
  deps = makeDeps(endpoint, tableName);
});
afterAll(() => sns?.close());

const at = (approval: Approval, fraction: number) => {
  const start = Date.parse(approval.requested_at);
  return new Date(start + Math.round(fraction * (Date.parse(approval.expires_at) - start)));
};

/** A critical migrate_to_spot (3 steps, 2 approvers needed) with its approval emailed to three approvers. */
async function criticalApproval(reminders?: number[]) {
  now = new Date();
  const customer = `cust-${randomUUID().slice(0, 8)}`;
  if (reminders) await deps.policies.putPolicy(customer, PolicyInput.parse({ reminders: { critical: reminders } }));
  const approvers: RegisteredApprover[] = [];
  for (const name of ['ann', 'bo', 'cy'])
    approvers.push(await registerApprover({ customer_id: customer, email: `${name}@${customer}.example` }, deps));
  const result = await coordinate(
    CoordinateRequest.parse({
      customer_id: customer,
      recommendations: [
        rec({ id: 'spot', risk_level: 'critical', action: 'migrate_to_spot', affected_resources: ['i-1'] }),
      ],
    }),
    deps,
  );
  const approval = result.approvals[0];
  const ids = { customer_id: customer, recommendation_id: 'spot', approval_id: approval.id };
  await requestApproval({ ...ids, task_token: `token-${approval.id}` }, deps);
  /** What one approver's filtered subscription received about this approval. */
  const inbox = (i: number): OutboxMessage[] => {
    const subscription = sns.outbox.subscriptions().find((s) => s.endpoint === approvers[i].email);
    return sns.outbox.messages(subscription!.filter_policy).filter((m) => m.attributes.approval_id === approval.id);
  };
  const alerts = () =>
    sns.outbox.messages({ kind: ['operator_alert'] }).filter((m) => m.attributes.approval_id === approval.id);
  /** Approver i decides through the API (a rejection needs its reason). */
  const vote = (i: number, decision: 'approve' | 'reject' = 'approve', via: 'api' | 'link' = 'api') =>
    decide(
      {
        customerId: customer,
        approvalId: approval.id,
        approver: { id: approvers[i].approver_id, email: approvers[i].email },
        decision,
        reason: decision === 'reject' ? 'not this week' : undefined,
        via,
      },
      deps,
    );
  return { customer, approval, approvers, ids, inbox, alerts, vote };
}

const kinds = (messages: OutboxMessage[]) => messages.map((m) => m.attributes.kind);

describe('the "Remind approvers" task', () => {
  it('at 50% and 90% of the window reminds only those who have not voted, with links signed for them', async () => {
    const { approval, approvers, ids, inbox, vote } = await criticalApproval();
    await vote(0);

    now = at(approval, 0.5);
    const first = await remindApprovers(ids, deps);
    expect(first).toEqual({
      required: true,
      approval_id: approval.id,
      reminded: 2,
      next_reminder_at: at(approval, 0.9).toISOString(),
      timeout_seconds: Math.ceil((at(approval, 0.9).getTime() - now.getTime()) / 1000),
    });
    expect(kinds(inbox(0))).toEqual(['approval_request']);
    expect(kinds(inbox(1))).toEqual(['approval_request', 'approval_reminder']);
    expect(kinds(inbox(2))).toEqual(['approval_request', 'approval_reminder']);

    const reminder = inbox(1)[1];
    expect(reminder.subject).toMatch(/^Reminder: approval needed \(critical risk\)/);
    expect(reminder.message).toContain('still waits for your decision: 2 different approvers must approve');
    expect(reminder.message).toContain(`Votes: 1 of 2 approvals so far: ${approvers[0].email} approved at`);
    expect(reminder.message).toContain('Time left: decide within 2 hours');
    expect(reminder.message).toContain('  2. migrate_workload by cost-agent-1: critical, reversible');
    const [link] = reminder.links;
    const url = new URL(link);
    expect(url.searchParams.get('approver')).toBe(approvers[1].approver_id);
    const signed = {
      approvalId: approval.id,
      approverId: approvers[1].approver_id,
      expires: Number(url.searchParams.get('expires')),
    };
    expect(checkLink(signed, url.searchParams.get('sig')!, SECRET, now)).toBe('valid');

    now = at(approval, 0.9);
    const second = await remindApprovers(ids, deps);
    expect(second.reminded).toBe(2);
    expect(second.next_reminder_at).toBeUndefined();
    // After the last reminder the wait lasts until the expiry, and a few seconds.
    expect(second.timeout_seconds).toBe(
      Math.ceil((Date.parse(approval.expires_at) - now.getTime()) / 1000) + APPROVAL_TIMEOUT_GRACE_SECONDS,
    );
    expect(kinds(inbox(1))).toEqual(['approval_request', 'approval_reminder', 'approval_reminder']);
    expect(kinds(inbox(0))).toEqual(['approval_request']);
  });

  it('sends nothing when woken before the first reminder, and waits until it', async () => {
    const { approval, ids, inbox } = await criticalApproval();
    now = at(approval, 0.2);
    const early = await remindApprovers(ids, deps);
    expect(early.reminded).toBe(0);
    expect(early.next_reminder_at).toBe(at(approval, 0.5).toISOString());
    expect(kinds(inbox(1))).toEqual(['approval_request']);
  });

  it("follows the customer's policy: no reminders at all waits straight for the expiry", async () => {
    const { approval, ids, inbox } = await criticalApproval([]);
    now = at(approval, 0.95);
    const result = await remindApprovers(ids, deps);
    expect(result).toMatchObject({
      reminded: 0,
      timeout_seconds: Math.ceil(0.05 * 4 * 3600) + APPROVAL_TIMEOUT_GRACE_SECONDS,
    });
    expect(result.next_reminder_at).toBeUndefined();
    expect(kinds(inbox(2))).toEqual(['approval_request']);
  });

  it('sends nothing once the approval is decided, and hands back to the wait at once', async () => {
    const { approval, ids, inbox, vote } = await criticalApproval();
    await vote(2, 'reject');
    now = at(approval, 0.5);
    expect(await remindApprovers(ids, deps)).toMatchObject({ reminded: 0, timeout_seconds: 1 });
    expect(kinds(inbox(0))).toEqual(['approval_request']);
  });

  it('fails with Expired once the window has closed, reminding nobody', async () => {
    const { approval, ids, inbox } = await criticalApproval();
    now = new Date(Date.parse(approval.expires_at) + 10_000);
    await expect(remindApprovers(ids, deps)).rejects.toMatchObject({ name: 'Expired' });
    expect(kinds(inbox(1))).toEqual(['approval_request']);
  });
});

describe('escalation of an approval that expires unanswered', () => {
  it('alerts the operators once, naming the approval, the recommendation and who did not answer', async () => {
    const { customer, approval, approvers, ids, inbox, alerts, vote } = await criticalApproval();
    await vote(1, 'approve', 'link');
    now = new Date(Date.parse(approval.expires_at) + 10_000);

    // The timer past the expiry: "Remind approvers" alerts and fails Expired; "Record expiry" closes it.
    await expect(remindApprovers(ids, deps)).rejects.toMatchObject({ name: 'Expired' });
    expect(await recordOutcome({ ...ids, outcome: 'expired' }, deps)).toEqual({ changed: true, outcome: 'expired' });
    // Closed: nothing is unanswered any more, so nothing more is sent about it.
    const closed = await deps.approvals.getApproval(customer, approval.id);
    expect(closed?.status).toBe('expired');
    expect(await alertUnansweredExpiry(closed!, deps)).toBe(false);

    const [alert, ...more] = alerts();
    expect(more).toEqual([]);
    expect(alert.attributes).toEqual({
      kind: 'operator_alert',
      outcome: 'approval_expired',
      customer_id: customer,
      recommendation_id: 'spot',
      approval_id: approval.id,
    });
    expect(alert.subject).toBe(`Arbiter: approval ${approval.id} for spot expired unanswered (${customer})`);
    expect(alert.message).toContain(`Approval ${approval.id} of recommendation spot (Recommendation spot)`);
    expect(alert.message).toContain(`1 of 2 approvals (${approvers[1].email})`);
    expect(alert.message).toContain(`Did not answer: ${approvers[0].email}, ${approvers[2].email}.`);
    // Approvers' filtered subscriptions never receive it.
    for (const i of [0, 1, 2]) expect(kinds(inbox(i))).not.toContain('operator_alert');
  });

  it('sends nothing for an approval that was decided, even when the timer fires after its expiry', async () => {
    const { customer, approval, ids, alerts, vote } = await criticalApproval();
    await vote(0, 'reject');
    const decided = await deps.approvals.getApproval(customer, approval.id);
    expect(await alertUnansweredExpiry(decided!, deps)).toBe(false);
    now = new Date(Date.parse(approval.expires_at) + 10_000);
    expect(await remindApprovers(ids, deps)).toMatchObject({ reminded: 0, timeout_seconds: 1 });
    expect(alerts()).toEqual([]);
  });
});

/** The local SNS notifier, except that its `nth` publish (counted from 1) fails, once. */
function failingPublish(nth: number): Notifier {
  let calls = 0;
  return {
    publish: async (message) => {
      calls += 1;
      if (calls === nth) throw new Error('SNS: throttled');
      await deps.notifier.publish(message);
    },
    subscribeApprover: (email) => deps.notifier.subscribeApprover(email),
  };
}

describe('each notice once, also when the task is retried', () => {
  it('a reminder round retried after a failed send reaches every approver exactly once', async () => {
    const { approval, ids, inbox } = await criticalApproval();
    now = at(approval, 0.5);
    // The second approver's reminder fails to publish: the task fails and Step Functions retries it.
    await expect(remindApprovers(ids, { ...deps, notifier: failingPublish(2) })).rejects.toThrow('SNS: throttled');
    expect(kinds(inbox(0))).toEqual(['approval_request', 'approval_reminder']);
    expect(kinds(inbox(1))).toEqual(['approval_request']);

    expect((await remindApprovers(ids, deps)).reminded).toBe(2);
    // And a retry of a task that succeeded (its answer was lost) sends nothing more.
    expect((await remindApprovers(ids, deps)).reminded).toBe(0);
    for (const i of [0, 1, 2]) expect(kinds(inbox(i))).toEqual(['approval_request', 'approval_reminder']);

    // The next round is a new round: one more each.
    now = at(approval, 0.9);
    expect((await remindApprovers(ids, deps)).reminded).toBe(3);
    for (const i of [0, 1, 2])
      expect(kinds(inbox(i))).toEqual(['approval_request', 'approval_reminder', 'approval_reminder']);
  });

  it('the escalation is sent once although the task past the expiry runs again; a failed publish is sent again', async () => {
    const { approval, ids, alerts } = await criticalApproval();
    now = new Date(Date.parse(approval.expires_at) + 10_000);
    await expect(remindApprovers(ids, { ...deps, notifier: failingPublish(1) })).rejects.toThrow('SNS: throttled');
    expect(alerts()).toEqual([]);
    await expect(remindApprovers(ids, deps)).rejects.toMatchObject({ name: 'Expired' });
    await expect(remindApprovers(ids, deps)).rejects.toMatchObject({ name: 'Expired' });
    expect(alerts()).toHaveLength(1);
  });
});
