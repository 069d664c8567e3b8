// With ARBITER_DATA_DIR the local SNS keeps its outbox on disk: the emails and subscriptions of a
// stack are still there after it restarts (and after kill -9: each is written when it happens).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.js';
import { startSnsLocal } from '../../local/sns/index.js';
import type { OutboxMessage, Subscription } from '../../local/sns/outbox.js';
import { OUTBOX_FILE } from '../../local/sns/outbox-file.js';
import { startTestStack } from '../support/local-stack.js';
import { coordinateRisky, newCustomer, reviewLink } from './approval-setup.js';

const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-outbox-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the outbox with a data directory', () => {
  it("keeps the local stack's approval emails and subscriptions across a restart (ARBITER_DATA_DIR)", async () => {
    process.env.ARBITER_DATA_DIR = dataDir;
    const stack = await startTestStack();
    let link: string;
    let before: { messages: OutboxMessage[]; subscriptions: Subscription[] };
    try {
      const customer = await newCustomer(stack, 1);
      const approvalId = await coordinateRisky(customer, { id: 'rec-kept' });
      link = await reviewLink(stack, customer.approvers[0], approvalId);
      before = { messages: stack.outbox.messages(), subscriptions: stack.outbox.subscriptions() };
    } finally {
      await stack.stop();
      delete process.env.ARBITER_DATA_DIR;
    }
    expect(before.messages.flatMap((m) => m.links)).toContain(link);

    const restarted = await startSnsLocal({ dataPath: dataDir });
    try {
      expect(restarted.outbox.messages()).toEqual(before.messages);
      expect(restarted.outbox.subscriptions()).toEqual(before.subscriptions);
    } finally {
      await restarted.close();
    }
    // Every approver's signed links are in that file: only its owner may read it.
    expect(statSync(join(dataDir, OUTBOX_FILE)).mode & 0o777).toBe(0o600);
  });

  it('answers a repeated subscription with the same ARN after a restart, and skips a line cut short by a crash', async () => {
    const dir = join(dataDir, 'cut');
    const first = await startSnsLocal({ dataPath: dir });
    const arn = await new SnsNotifier(first.topicArn, first.endpoint).subscribeApprover('ann@example.com');
    await new SnsNotifier(first.topicArn, first.endpoint).publish({
      subject: 'kept',
      text: 'kept message',
      attributes: { approver: 'ann@example.com' },
    });
    await first.close();
    appendFileSync(join(dir, OUTBOX_FILE), '{"message":{"id":"cut-sh');

    const second = await startSnsLocal({ dataPath: dir });
    try {
      expect(await new SnsNotifier(second.topicArn, second.endpoint).subscribeApprover('ann@example.com')).toBe(arn);
      expect(second.outbox.messages().map((m) => m.subject)).toEqual(['kept']);
      await new SnsNotifier(second.topicArn, second.endpoint).publish({
        subject: 'after',
        text: 'after the crash',
        attributes: {},
      });
    } finally {
      await second.close();
    }
    const third = await startSnsLocal({ dataPath: dir });
    expect(third.outbox.messages().map((m) => m.subject)).toEqual(['kept', 'after']);
    await third.close();
    expect(readFileSync(join(dir, OUTBOX_FILE), 'utf8')).toContain('cut-sh');
  });

  it('keeps nothing on disk without a data directory', async () => {
    const sns = await startSnsLocal({ dataPath: null });
    await new SnsNotifier(sns.topicArn, sns.endpoint).publish({
      subject: 'memory',
      text: 'only in memory',
      attributes: {},
    });
    await sns.close();
    const again = await startSnsLocal({ dataPath: null });
    expect(again.outbox.messages()).toEqual([]);
    await again.close();
  });
});
