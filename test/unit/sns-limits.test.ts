// The local SNS refuses exactly what SNS's Publish refuses (subjects, message size with attributes,
// attribute names, types and values), with SNS's error codes as the SDK reads them.
import {
  InvalidParameterException,
  InvalidParameterValueException,
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEndpoint } from '../../functions/adapters/local-endpoint.js';
import { MAX_MESSAGE_BYTES } from '../../local/sns/actions.js';
import { type SnsLocal, startSnsLocal } from '../../local/sns/index.js';

let sns: SnsLocal;
let client: SNSClient;

beforeAll(async () => {
  sns = await startSnsLocal({ dataPath: null });
  client = new SNSClient(localEndpoint(sns.endpoint));
});
afterAll(async () => {
  client?.destroy();
  await sns?.close();
});

const publish = (input: Partial<PublishCommandInput>) =>
  client.send(new PublishCommand({ TopicArn: sns.topicArn, Message: 'hi', ...input }));
const attribute = (StringValue: string, DataType = 'String') => ({ DataType, StringValue });

async function refused(
  input: Partial<PublishCommandInput>,
  kind: typeof InvalidParameterException | typeof InvalidParameterValueException,
  message: string | RegExp,
) {
  const before = sns.outbox.messages().length;
  const error = await publish(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, JSON.stringify(input).slice(0, 200)).toBeInstanceOf(kind);
  expect((error as Error).message).toMatch(message);
  expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  expect(sns.outbox.messages()).toHaveLength(before);
}

describe('local SNS Publish: subjects', () => {
  it('accepts 99 printable ASCII characters and refuses 100', async () => {
    await expect(publish({ Subject: 'S'.repeat(99) })).resolves.toMatchObject({ MessageId: expect.any(String) });
    await refused({ Subject: 'S'.repeat(100) }, InvalidParameterException, 'Invalid parameter: Subject');
  });

  it.each([
    ['a line break', 'two\nlines'],
    ['a carriage return', 'two\rlines'],
    ['a tab', 'a\tb'],
    ['a control character', 'bell\u0007'],
    ['DEL', 'del\u007f'],
    ['a non-ASCII letter', 'Réduire les coûts'],
    ['an emoji', 'cost 💸'],
    ['a leading space', ' starts with a space'],
    ['nothing', ''],
  ])('refuses a subject with %s with InvalidParameter', async (_, Subject) => {
    await refused({ Subject }, InvalidParameterException, 'Invalid parameter: Subject');
  });
});

describe('local SNS Publish: size', () => {
  it('accepts a message of exactly 256 KiB and refuses one byte more', async () => {
    await expect(publish({ Message: 'x'.repeat(MAX_MESSAGE_BYTES) })).resolves.toBeDefined();
    await refused(
      { Message: 'x'.repeat(MAX_MESSAGE_BYTES + 1) },
      InvalidParameterException,
      'Invalid parameter: Message too long',
    );
  });

  it('counts UTF-8 bytes, not characters', async () => {
    await expect(publish({ Message: 'é'.repeat(MAX_MESSAGE_BYTES / 2) })).resolves.toBeDefined();
    await refused({ Message: `${'é'.repeat(MAX_MESSAGE_BYTES / 2)}x` }, InvalidParameterException, 'Message too long');
  });

  it("counts every attribute's name, type and value in the 256 KiB", async () => {
    // name "approver" (8) + type "String" (6) + value "ana" (3) = 17 bytes
    const attributes = { approver: attribute('ana') };
    await expect(
      publish({ Message: 'x'.repeat(MAX_MESSAGE_BYTES - 17), MessageAttributes: attributes }),
    ).resolves.toBeDefined();
    await refused(
      { Message: 'x'.repeat(MAX_MESSAGE_BYTES - 16), MessageAttributes: attributes },
      InvalidParameterException,
      'Message too long',
    );
  });

  it('refuses an empty message', async () => {
    await refused({ Message: '' }, InvalidParameterException, 'Invalid parameter: Empty message');
  });

  it('accepts more than ten attributes (the ten-attribute limit is for raw delivery to SQS only)', async () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a${i}`, attribute(String(i))]));
    const { MessageId } = await publish({ MessageAttributes: many });
    expect(sns.outbox.messages().find((m) => m.id === MessageId)?.attributes).toHaveProperty('a11', '11');
  });
});

describe('local SNS Publish: message attributes', () => {
  it('accepts names of letters, digits, _, - and . up to 256 characters', async () => {
    await expect(
      publish({ MessageAttributes: { 'a.b-c_D9': attribute('v'), ['n'.repeat(256)]: attribute('v') } }),
    ).resolves.toBeDefined();
  });

  it.each([
    ['a name of 257 characters', 'n'.repeat(257), 'Length of message attribute name must be less than 256 bytes.'],
    ['a name starting with .', '.name', "starting with character '.'"],
    ['a name ending with .', 'name.', "ending with character '.'"],
    ['successive dots', 'a..b', "successive '.'"],
    ['a space', 'a b', "Invalid non-alphanumeric character '#x20'"],
    ['a non-ASCII letter', 'café', "Invalid non-alphanumeric character '#xE9'"],
    ['the reserved AWS. prefix', 'AWS.thing', 'reserved for use by Amazon'],
    ['the reserved Amazon. prefix', 'amazon.thing', 'reserved for use by Amazon'],
  ])('refuses %s with InvalidParameterValue', async (_, name, message) => {
    await refused({ MessageAttributes: { [name]: attribute('v') } }, InvalidParameterValueException, message);
  });

  it.each([
    ['an unknown type', attribute('v', 'Text'), 'invalid message attribute type'],
    ['a type of 257 bytes', attribute('v', `String.${'t'.repeat(250)}`), 'can not be longer than 256 bytes'],
    ['an empty value', attribute(''), 'must contain non-empty message attribute value'],
    ['a Number that is not one', attribute('12abc', 'Number'), 'to number'],
  ])('refuses %s with InvalidParameterValue', async (_, value, message) => {
    await refused({ MessageAttributes: { name: value } }, InvalidParameterValueException, message);
  });
});
