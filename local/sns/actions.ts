// The SNS actions Arbiter uses, with the checks SNS makes (so a message SNS would refuse fails
// locally too), recording into the outbox instead of sending mail.
import { ServiceError } from '../stand-in-server.js';
import type { FilterPolicy, Outbox } from './outbox.js';
import { type Action, mapEntries, required } from './query-protocol.js';

/** Message and attributes (names, types and values) together: 256 KiB, counted in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** Subjects must be under 100 characters. */
export const MAX_SUBJECT_CHARS = 99;
const MAX_ATTRIBUTE_NAME_CHARS = 256;
const MAX_ATTRIBUTE_TYPE_BYTES = 256;
/** Protocols whose subscriptions wait for the endpoint to confirm (SNS then answers "pending confirmation"). */
const CONFIRMED_BY_ENDPOINT = new Set(['email', 'email-json', 'http', 'https']);

/** SNS's answer to a bad Publish parameter: `InvalidParameter`, "Invalid parameter: <name>". */
const invalid = (message: string) => new ServiceError('InvalidParameter', `Invalid parameter: ${message}`);
/** SNS's answer to a bad message attribute: code `ParameterValueInvalid` (the SDK's InvalidParameterValueException). */
const invalidAttribute = (message: string) => new ServiceError('ParameterValueInvalid', message);

function topic(params: URLSearchParams, outbox: Outbox): string {
  const arn = params.get('TopicArn');
  if (!arn) throw invalid('TopicArn (the local outbox has no TargetArn or PhoneNumber publishing)');
  if (arn !== outbox.topicArn) throw new ServiceError('NotFound', 'Topic does not exist', 404);
  return arn;
}

/**
 * The Publish reference: "ASCII text that begins with a letter, number, or punctuation mark; must not
 * include line breaks or control characters; and must be less than 100 characters long" (today's
 * wording says UTF-8; the stricter reading is kept, so what passes here passes on AWS either way).
 */
function subject(params: URLSearchParams): string | null {
  const value = params.get('Subject');
  if (value === null) return null;
  if (value.length > MAX_SUBJECT_CHARS || !/^[!-~][ -~]*$/.test(value)) throw invalid('Subject');
  return value;
}

interface Attribute {
  name: string;
  dataType: string;
  value: string;
}

function attributeName(name: string): void {
  if (name.length > MAX_ATTRIBUTE_NAME_CHARS)
    throw invalidAttribute('Length of message attribute name must be less than 256 bytes.');
  if (name.startsWith('.'))
    throw invalidAttribute("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw invalidAttribute("Invalid message attribute name ending with character '.' was found.");
  const bad = /[^A-Za-z0-9_.-]/.exec(name);
  if (bad) {
    const hex = `#x${bad[0].codePointAt(0)?.toString(16).toUpperCase()}`;
    throw invalidAttribute(
      `Invalid non-alphanumeric character '${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  if (name.includes('..')) throw invalidAttribute("Message attribute name can not have successive '.' character.");
  if (/^(aws|amazon)\./i.test(name))
    throw invalidAttribute("Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use by Amazon.");
}

function attributeValue(name: string, dataType: string, value: string | null): void {
  if (!/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
    throw invalidAttribute(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (Buffer.byteLength(dataType) > MAX_ATTRIBUTE_TYPE_BYTES)
    throw invalidAttribute(`Message attribute type can not be longer than ${MAX_ATTRIBUTE_TYPE_BYTES} bytes`);
  if (value === null || value === '') {
    throw invalidAttribute(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
    );
  }
  if (dataType.startsWith('Number') && !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
    throw invalidAttribute(`Could not cast message attribute '${name}' value to number.`);
  }
}

/** Message attributes as SNS checks them; the size counts every name, type and value. */
function messageAttributes(params: URLSearchParams): Attribute[] {
  const attributes: Attribute[] = [];
  for (const entry of mapEntries(params, 'MessageAttributes')) {
    const name = entry.get('Name') ?? '';
    if (name === '') throw invalidAttribute('The request must contain non-empty message attribute name.');
    attributeName(name);
    const dataType = entry.get('Value.DataType') ?? '';
    const value = dataType.startsWith('Binary') ? entry.get('Value.BinaryValue') : entry.get('Value.StringValue');
    attributeValue(name, dataType, value);
    if (attributes.some((a) => a.name === name))
      throw invalidAttribute(`Message attribute name '${name}' is repeated.`);
    attributes.push({ name, dataType, value: value as string });
  }
  return attributes;
}

/** Binary values travel base64-encoded; their size is that of the bytes. */
function attributeBytes({ name, dataType, value }: Attribute): number {
  const valueBytes = dataType.startsWith('Binary') ? Buffer.from(value, 'base64').length : Buffer.byteLength(value);
  return Buffer.byteLength(name) + Buffer.byteLength(dataType) + valueBytes;
}

function filterPolicy(text: string | undefined): FilterPolicy | null {
  if (text === undefined) return null;
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw invalid('FilterPolicy: failed to parse JSON');
  }
  const exactValues = (values: unknown) =>
    Array.isArray(values) && values.every((v) => typeof v === 'string' || typeof v === 'number');
  if (typeof policy !== 'object' || policy === null || !Object.values(policy).every(exactValues)) {
    throw invalid('FilterPolicy: the local outbox supports exact values only ({"attribute": ["value", ...]})');
  }
  return policy as FilterPolicy;
}

export function snsActions(outbox: Outbox): Record<string, Action> {
  return {
    Publish(params) {
      topic(params, outbox);
      if (params.get('MessageStructure'))
        throw invalid('MessageStructure (the local outbox keeps one text per message)');
      const message = params.get('Message') ?? '';
      if (message === '') throw invalid('Empty message');
      const attributes = messageAttributes(params);
      const size = Buffer.byteLength(message) + attributes.reduce((sum, a) => sum + attributeBytes(a), 0);
      if (size > MAX_MESSAGE_BYTES) throw invalid('Message too long');
      const stored = outbox.publish({
        subject: subject(params),
        message,
        attributes: Object.fromEntries(attributes.map((a) => [a.name, a.value])),
      });
      return { MessageId: stored.id };
    },

    Subscribe(params) {
      topic(params, outbox);
      const protocol = required(params, 'Protocol');
      const endpoint = required(params, 'Endpoint');
      if (protocol === 'email' && !/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalid('Email address');
      const attributes = Object.fromEntries(
        mapEntries(params, 'Attributes').map((entry) => [entry.get('key'), entry.get('value') ?? '']),
      );
      if ((attributes.FilterPolicyScope ?? 'MessageAttributes') !== 'MessageAttributes')
        throw invalid('FilterPolicyScope: the local outbox filters on message attributes only');
      const subscription = outbox.subscribe(protocol, endpoint, filterPolicy(attributes.FilterPolicy));
      if (subscription === 'conflict')
        throw invalid('Attributes Reason: Subscription already exists with different attributes');
      const pending = CONFIRMED_BY_ENDPOINT.has(protocol) && params.get('ReturnSubscriptionArn') !== 'true';
      return { SubscriptionArn: pending ? 'pending confirmation' : subscription.arn };
    },

    GetTopicAttributes(params) {
      const arn = topic(params, outbox);
      const confirmed = String(outbox.subscriptions().length);
      return {
        Attributes: {
          TopicArn: arn,
          DisplayName: '',
          Owner: arn.split(':')[4],
          SubscriptionsConfirmed: confirmed,
          SubscriptionsPending: '0',
          SubscriptionsDeleted: '0',
        },
      };
    },
  };
}
