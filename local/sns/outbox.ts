// What the local SNS topic received: every published message (instead of emails) and every
// subscription with its filter policy, so a person or a test can see who would have got what.
import { randomUUID } from 'node:crypto';
import type { OutboxLog } from './outbox-file.js';

export interface OutboxMessage {
  id: string;
  topic: string;
  subject: string | null;
  message: string;
  /** Message attributes by name (Binary ones in base64). */
  attributes: Record<string, string>;
  /** The http(s) URLs in the message text, in order. */
  links: string[];
  published_at: string;
}

/** Exact-value filter policies, the kind Arbiter writes: each named attribute must hold one of the listed values. */
export type FilterPolicy = Record<string, (string | number)[]>;

export interface Subscription {
  arn: string;
  topic: string;
  protocol: string;
  endpoint: string;
  filter_policy: FilterPolicy | null;
  subscribed_at: string;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/g;

/** URLs as a mail client would make them clickable: closing punctuation after one is not part of it. */
export function linksIn(text: string): string[] {
  return (text.match(URL_IN_TEXT) ?? []).map((url) => url.replace(/[.,;:!?)\]}]+$/, ''));
}

/** Does a subscription with this policy receive a message with these attributes? (SNS semantics for exact values.) */
export function matchesFilterPolicy(policy: FilterPolicy | null, attributes: Record<string, string>): boolean {
  if (!policy) return true;
  return Object.entries(policy).every(
    ([name, values]) => name in attributes && values.some((value) => String(value) === attributes[name]),
  );
}

export class Outbox {
  private readonly published: OutboxMessage[] = [];
  private readonly subscribed: Subscription[] = [];

  /** With a log, what it holds is loaded first and everything new is written to it. */
  constructor(
    readonly topicArn: string,
    private readonly log?: OutboxLog,
  ) {
    for (const record of log?.records() ?? []) {
      if ('message' in record) this.published.push(record.message);
      else this.subscribed.push(record.subscription);
    }
  }

  publish(message: Pick<OutboxMessage, 'subject' | 'message' | 'attributes'>): OutboxMessage {
    const stored = {
      id: randomUUID(),
      topic: this.topicArn,
      ...message,
      links: linksIn(message.message),
      published_at: new Date().toISOString(),
    };
    this.log?.append({ message: stored });
    this.published.push(stored);
    return stored;
  }

  /** Subscribing the same endpoint again with the same policy gives the same subscription, as SNS does. */
  subscribe(protocol: string, endpoint: string, filterPolicy: FilterPolicy | null): Subscription | 'conflict' {
    const existing = this.subscribed.find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing)
      return JSON.stringify(existing.filter_policy) === JSON.stringify(filterPolicy) ? existing : 'conflict';
    const subscription = {
      arn: `${this.topicArn}:${randomUUID()}`,
      topic: this.topicArn,
      protocol,
      endpoint,
      filter_policy: filterPolicy,
      subscribed_at: new Date().toISOString(),
    };
    this.log?.append({ subscription });
    this.subscribed.push(subscription);
    return subscription;
  }

  /** Oldest first; with `policy`, only what a subscription with that filter policy would receive. */
  messages(policy: FilterPolicy | null = null): OutboxMessage[] {
    return this.published.filter((m) => matchesFilterPolicy(policy, m.attributes));
  }

  subscriptions(): Subscription[] {
    return [...this.subscribed];
  }
}
