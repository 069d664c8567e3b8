// The SNS actions Arbiter uses, with the checks SNS makes (so a message SNS would refuse fails
// locally too), recording into the outbox instead of sending mail.
import { ServiceError } from '../stand-in-server.js';
import type { FilterPolicy, Outbox } from './outbox.js';
import { mapEntries, required, type Action } from './query-protocol.js';

const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_ATTRIBUTES = 10;
/** Protocols whose subscriptions wait for the endpoint to confirm (SNS then answers "pending confirmation"). */
const CONFIRMED_BY_ENDPOINT = new Set(['email', 'email-json', 'http', 'https']);

const invalid = (message: string) => new ServiceError('InvalidParameter', `Invalid parameter: ${message}`);

function topic(params: URLSearchParams, outbox: Outbox): string {
  const arn = params.get('TopicArn');
  if (!arn) throw invalid('TopicArn (the local outbox has no TargetArn or PhoneNumber publishing)');
  if (arn !== outbox.topicArn) throw new ServiceError('NotFound', 'Topic does not exist', 404);
  return arn;
}

function subject(params: URLSearchParams): string | null {
  const value = params.get('Subject');
  if (value === null) return null;
  // SNS: ASCII, no line breaks or control characters, under 100 characters.
  if (value.length === 0 || value.length > 100 || !/^[\x20-\x7e]+$/.test(value)) throw invalid('Subject');
  return value;
}

function messageAttributes(params: URLSearchParams): Record<string, string> {
  const entries = mapEntries(params, 'MessageAttributes');
  if (entries.length > MAX_ATTRIBUTES) throw invalid(`MessageAttributes: at most ${MAX_ATTRIBUTES}`);
  const attributes: Record<string, string> = {};
  for (const entry of entries) {
    const name = required(entry, 'Name');
    const dataType = entry.get('Value.DataType') ?? '';
    const value = entry.get('Value.StringValue') ?? entry.get('Value.BinaryValue');
    if (!/^(String|Number|Binary)(\..+)?$/.test(dataType)) throw invalid(`MessageAttributes: the data type of '${name}'`);
    if (value === null || value === '') throw invalid(`MessageAttributes: the value of '${name}'`);
    attributes[name] = value;
  }
  return attributes;
}

function filterPolicy(text: string | undefined): FilterPolicy | null {
  if (text === undefined) return null;
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw invalid('FilterPolicy: failed to parse JSON');
  }
  const exactValues = (values: unknown) => Array.isArray(values) && values.every((v) => typeof v === 'string' || typeof v === 'number');
  if (typeof policy !== 'object' || policy === null || !Object.values(policy).every(exactValues)) {
    throw invalid('FilterPolicy: the local outbox supports exact values only ({"attribute": ["value", ...]})');
  }
  return policy as FilterPolicy;
}

export function snsActions(outbox: Outbox): Record<string, Action> {
  return {
    Publish(params) {
      topic(params, outbox);
      if (params.get('MessageStructure')) throw invalid('MessageStructure (the local outbox keeps one text per message)');
      const message = required(params, 'Message');
      const attributes = messageAttributes(params);
      const size = Buffer.byteLength(message) + Buffer.byteLength(JSON.stringify(attributes));
      if (size > MAX_MESSAGE_BYTES) throw invalid('Message too long');
      return { MessageId: outbox.publish({ subject: subject(params), message, attributes }).id };
    },

    Subscribe(params) {
      topic(params, outbox);
      const protocol = required(params, 'Protocol');
      const endpoint = required(params, 'Endpoint');
      if (protocol === 'email' && !/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalid('Email address');
      const attributes = Object.fromEntries(mapEntries(params, 'Attributes').map((entry) => [entry.get('key'), entry.get('value') ?? '']));
      if ((attributes.FilterPolicyScope ?? 'MessageAttributes') !== 'MessageAttributes') throw invalid('FilterPolicyScope: the local outbox filters on message attributes only');
      const subscription = outbox.subscribe(protocol, endpoint, filterPolicy(attributes.FilterPolicy));
      if (subscription === 'conflict') throw invalid('Attributes Reason: Subscription already exists with different attributes');
      const pending = CONFIRMED_BY_ENDPOINT.has(protocol) && params.get('ReturnSubscriptionArn') !== 'true';
      return { SubscriptionArn: pending ? 'pending confirmation' : subscription.arn };
    },

    GetTopicAttributes(params) {
      const arn = topic(params, outbox);
      const confirmed = String(outbox.subscriptions().length);
      return { Attributes: { TopicArn: arn, DisplayName: '', Owner: arn.split(':')[4], SubscriptionsConfirmed: confirmed, SubscriptionsPending: '0', SubscriptionsDeleted: '0' } };
    },
  };
}
