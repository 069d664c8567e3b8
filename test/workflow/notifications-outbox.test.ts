// The local SNS: what SnsNotifier publishes and subscribes lands in the outbox, which the gateway
// shows as JSON (filtered like an approver's subscription) and as an escaped page.

import {
  GetTopicAttributesCommand,
  InvalidParameterException,
  NotFoundException,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEndpoint } from '../../functions/adapters/local-endpoint.js';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.js';
import { type Gateway, startGateway } from '../../local/gateway.js';
import { type OutboxMessage, outboxRoutes, type SnsLocal, startSnsLocal } from '../../local/sns/index.js';

let sns: SnsLocal;
let gateway: Gateway;
let notifier: SnsNotifier;
let client: SNSClient;

beforeAll(async () => {
  sns = await startSnsLocal();
  gateway = await startGateway({ port: 0, routes: [], extraRoutes: outboxRoutes(sns.outbox), quiet: true });
  notifier = new SnsNotifier(sns.topicArn, sns.endpoint);
  client = new SNSClient(localEndpoint(sns.endpoint));
  await notifier.publish({
    subject: 'Approval needed: <rec-1> & friends',
    text: 'Review it at https://api.test/approvals/a-1/review?approver=ana&expires=1&sig=x1.\nThanks (https://docs.test/why).',
    attributes: { approver: 'ana', kind: 'approval_request' },
  });
  await notifier.publish({
    subject: 'Approval needed: rec-2',
    text: 'https://api.test/approvals/a-2/review?approver=bo',
    attributes: { approver: 'bo' },
  });
  await notifier.publish({ subject: 'Operator alert', text: 'Rollback failed', attributes: { kind: 'alert' } });
});

afterAll(async () => {
  await gateway.close();
  await sns.close();
});

const outbox = (query = '', accept = 'application/json') =>
  fetch(`${gateway.url}/local/outbox${query}`, { headers: { accept } });
const messages = async (query = '') => (await (await outbox(query)).json()) as OutboxMessage[];

describe('the local SNS outbox', () => {
  it('stores what SnsNotifier publishes, with its attributes and the links in its text', () => {
    const [first] = sns.outbox.messages();
    expect(first).toEqual({
      id: expect.any(String),
      topic: 'arn:aws:sns:local:000000000000:arbiter-notifications',
      subject: 'Approval needed: <rec-1> & friends',
      message: expect.stringContaining('Review it at'),
      attributes: { approver: 'ana', kind: 'approval_request' },
      links: ['https://api.test/approvals/a-1/review?approver=ana&expires=1&sig=x1', 'https://docs.test/why'],
      published_at: expect.any(String),
    });
  });

  it('records approver subscriptions with their filter policy; subscribing again gives the same subscription', async () => {
    const arn = await notifier.subscribeApprover('ana@example.com');
    expect(arn).toMatch(/^arn:aws:sns:local:000000000000:arbiter-notifications:/);
    expect(await notifier.subscribeApprover('ana@example.com')).toBe(arn);
    expect(sns.outbox.subscriptions()).toContainEqual(
      expect.objectContaining({
        arn,
        protocol: 'email',
        endpoint: 'ana@example.com',
        filter_policy: { approver: ['ana@example.com'] },
      }),
    );
  });

  it('GET /local/outbox lists every message; ?approver= only what that approver would receive', async () => {
    expect((await outbox()).status).toBe(200);
    expect((await messages()).map((m) => m.subject)).toEqual([
      'Approval needed: <rec-1> & friends',
      'Approval needed: rec-2',
      'Operator alert',
    ]);
    expect((await messages('?approver=bo')).map((m) => m.links)).toEqual([
      ['https://api.test/approvals/a-2/review?approver=bo'],
    ]);
    expect(await messages('?approver=nobody')).toEqual([]);
  });

  it('shows a browser a page with clickable links, everything escaped, under a strict content security policy', async () => {
    const page = await outbox('?approver=ana', 'text/html,application/xhtml+xml');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Approval needed: &#60;rec-1&#62; &#38; friends');
    expect(html).not.toContain('<rec-1>');
    expect(html).toContain(
      '<a class="link" href="https://api.test/approvals/a-1/review?approver=ana&#38;expires=1&#38;sig=x1" rel="noreferrer">',
    );
    expect(html).not.toContain('rec-2');
    expect(await (await fetch(`${gateway.url}/local/outbox.html`)).text()).toContain('Operator alert');
  });

  it('refuses what SNS refuses, with the SDK exceptions', async () => {
    const publish = (input: Partial<ConstructorParameters<typeof PublishCommand>[0]>) =>
      client.send(new PublishCommand({ TopicArn: sns.topicArn, Message: 'hi', ...input }));
    await expect(publish({ TopicArn: `${sns.topicArn}-other` })).rejects.toBeInstanceOf(NotFoundException);
    await expect(publish({ Subject: 'two\nlines' })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(publish({ Message: '' })).rejects.toBeInstanceOf(InvalidParameterException);
    const prefixPolicy = new SubscribeCommand({
      TopicArn: sns.topicArn,
      Protocol: 'email',
      Endpoint: 'x@example.com',
      Attributes: { FilterPolicy: '{"approver":[{"prefix":"a"}]}' },
    });
    await expect(client.send(prefixPolicy)).rejects.toThrow('exact values only');
    const changedPolicy = new SubscribeCommand({
      TopicArn: sns.topicArn,
      Protocol: 'email',
      Endpoint: 'ana@example.com',
      Attributes: { FilterPolicy: '{"approver":["bo"]}' },
    });
    await expect(client.send(changedPolicy)).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('answers an email subscription without ReturnSubscriptionArn as pending confirmation, and describes the topic', async () => {
    const subscribed = await client.send(
      new SubscribeCommand({ TopicArn: sns.topicArn, Protocol: 'email', Endpoint: 'cy@example.com' }),
    );
    expect(subscribed.SubscriptionArn).toBe('pending confirmation');
    const { Attributes } = await client.send(new GetTopicAttributesCommand({ TopicArn: sns.topicArn }));
    expect(Attributes).toMatchObject({ TopicArn: sns.topicArn, Owner: '000000000000' });
  });
});
