// Hostile input at the API (issue 8 §4): 2,000+ generated bodies — deep nesting, odd keys
// (__proto__, constructor, empty, 257 characters, control characters), odd encodings (invalid
// UTF-8, lone surrogates, BOM, duplicate keys) and huge arrays — sent as raw bytes to the local
// stack on DynamoDB Local. None gets a 5xx, and nothing of a refused body is stored.
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { arbiterClient, registerAgent } from '../../local/arbiter-client.js';
import { stackForFile } from '../support/local-stack.js';

const stack = stackForFile();
let key: string;
const customer = `fuzz-${randomUUID().slice(0, 8)}`;
const AGENT = 'fuzz-agent';

beforeAll(async () => {
  key = (await registerAgent(arbiterClient(stack.url, stack.adminKey), AGENT, customer)).api_key;
});

const oddKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    'k'.repeat(257),
    'k'.repeat(256),
    'a.b',
    '$x',
    '#',
    'ключ',
    '😀',
    '\u0000',
    '\u202e',
    'toString',
    'hasOwnProperty',
  ),
  fc.string({ maxLength: 8 }),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const oddValue: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(oddKey, tie('node'), { maxKeys: 3 }),
  ),
})).node;
/** Wraps a value in `depth` objects or arrays: the 10-level limit and far beyond. */
const nested = fc
  .tuple(fc.constantFrom(0, 5, 9, 10, 11, 29, 31, 40, 200), fc.boolean(), oddValue)
  .map(([depth, asArray, inner]) => {
    let value = inner;
    for (let i = 0; i < depth; i++) value = asArray ? [value] : { n: value };
    return value;
  });
const freeForm = fc.oneof(fc.dictionary(oddKey, fc.oneof(oddValue, nested), { maxKeys: 4 }), nested, fc.constant({}));

/** Mostly the valid choice, sometimes a bad one: bodies that are fully valid but for their odd parts get stored. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: bad });
const recommendation = fc.record({
  id: fc.uuid().map((u) => `r-${u}`),
  agent_id: mostly(fc.constant(AGENT), fc.constantFrom('other-agent', '', '__proto__')),
  agent_type: fc.constant('cost'),
  type: mostly(fc.constant('cost'), fc.constant('magic')),
  title: mostly(
    fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }).filter((t) => t.trim().length > 0),
    fc.constant(''),
  ),
  action: mostly(fc.constantFrom('optimize', 'scale_up', 'delete_database'), fc.constant('Bad Action')),
  risk_level: mostly(fc.constant('low'), fc.constant('extreme')),
  affected_resources: mostly(
    fc.array(fc.constantFrom('i-1', 'i-2', 'db-1'), { maxLength: 3 }),
    fc.constant(Array.from({ length: 1001 }, (_, i) => `i-${i}`)),
  ),
  parameters: fc.oneof(freeForm, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), leaf, { maxKeys: 3 })),
  metadata: fc.oneof(freeForm, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), leaf, { maxKeys: 3 })),
  priority: mostly(fc.integer({ min: 1, max: 10 }), fc.constant(1.5)),
  confidence: mostly(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(2, 1e-200)),
});

const batch = fc.record({
  customer_id: fc.constant(customer),
  recommendations: fc.oneof(
    { weight: 8, arbitrary: fc.array(recommendation, { minLength: 1, maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: recommendation.map((r) =>
        Array.from({ length: 1001 }, (_, i) => ({ ...r, id: `${r.id}-${i}`, parameters: {}, metadata: {} })),
      ),
    },
  ),
  auto_approve: fc.boolean(),
});

/** How a body's text is turned into bytes: as it is, or damaged the ways real clients and attackers damage it. */
const encoding = fc.constantFrom(
  'plain',
  'plain',
  'plain',
  'plain',
  'invalid-byte',
  'truncated-utf8',
  'encoded-surrogate',
  'overlong',
  'bom',
  'duplicate-key',
  'lone-surrogate-escape',
  'deep-brackets',
  'raw-json',
);

function encode(text: string, how: string): Buffer {
  const at = Math.floor(text.length / 2);
  const splice = (bytes: number[]) =>
    Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]);
  switch (how) {
    case 'invalid-byte':
      return splice([0xff]);
    case 'truncated-utf8':
      return splice([0xc3]);
    case 'encoded-surrogate':
      return splice([0xed, 0xa0, 0x80]);
    case 'overlong':
      return splice([0xc0, 0xaf]);
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'duplicate-key':
      return Buffer.from(text.replace('"customer_id":', '"customer_id":"someone-else","customer_id":'));
    case 'lone-surrogate-escape':
      return Buffer.from(text.replace('"title":"', '"title":"\\ud800'));
    case 'deep-brackets':
      return Buffer.from(
        `{"customer_id":"${customer}","recommendations":[${'['.repeat(10_000)}${']'.repeat(10_000)}]}`,
      );
    default:
      return Buffer.from(text);
  }
}

const body = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(batch, encoding) },
  { weight: 1, arbitrary: fc.tuple(fc.jsonValue(), fc.constant('raw-json')) },
);

async function storedIds(): Promise<string[]> {
  const db: DynamoDBDocumentClient = documentClient({ endpoint: stack.dynamoEndpoint });
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':pk': `C#${customer}`, ':r': 'R#' },
        ProjectionExpression: 'id',
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(page.Items ?? []).map((i) => i.id as string));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

it('answers 2,000 hostile bodies without a 5xx and stores nothing of the refused ones', {
  timeout: 600_000,
}, async () => {
  const accepted = new Set<string>();
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(body, async ([value, how]) => {
      const bytes = encode(JSON.stringify(value), how);
      const response = await fetch(new URL('/coordination/coordinate', stack.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: bytes,
      });
      const answer = (await response.json()) as { error?: string; recommendations?: unknown[] };
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(
        response.status,
        `${how}: ${bytes.toString('utf8').slice(0, 300)} → ${JSON.stringify(answer).slice(0, 300)}`,
      ).toBeLessThan(500);
      if (response.status === 200) {
        for (const r of (JSON.parse(bytes.toString('utf8')) as { recommendations: { id: string }[] }).recommendations)
          accepted.add(r.id);
      } else {
        expect(answer.error).toEqual(expect.any(String));
      }
    }),
    { numRuns: 2_000 },
  );
  const stored = await storedIds();
  expect(stored.filter((id) => !accepted.has(id))).toEqual([]);
  // The run exercised both sides: some bodies were stored, most refused, in more than one way.
  expect(accepted.size).toBeGreaterThan(0);
  expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThan(1);
});

describe("the probe's findings, each answered 400 naming the path and storing nothing", () => {
  const valid = (fields: Record<string, unknown>) => ({
    id: `p-${randomUUID()}`,
    agent_id: AGENT,
    agent_type: 'cost',
    type: 'cost',
    title: 'Probe',
    action: 'optimize',
    risk_level: 'low',
    priority: 1,
    confidence: 0.5,
    ...fields,
  });
  const deep = (levels: number) => JSON.parse(`${'{"n":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`) as unknown;
  const send = async (bytes: Buffer) => {
    const response = await fetch(new URL('/coordination/coordinate', stack.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: bytes,
    });
    return {
      status: response.status,
      body: (await response.json()) as { error: string; details?: { field: string; message: string }[] },
    };
  };
  const batchOf = (rec: Record<string, unknown>) => ({ customer_id: customer, recommendations: [rec] });

  it.each([
    [
      'a key named constructor',
      { parameters: { a: { constructor: 1 } } },
      'recommendations[0].parameters.a.constructor',
    ],
    [
      'a nested __proto__',
      { metadata: { a: JSON.parse('{"__proto__":{"x":1}}') } },
      'recommendations[0].metadata.a.__proto__',
    ],
    [
      'a top-level parameters.__proto__ (it used to vanish)',
      { parameters: JSON.parse('{"__proto__":{"x":1},"ok":1}') },
      'recommendations[0].parameters.__proto__',
    ],
    [
      'prototype in a step',
      { steps: [{ action: 'resize', parameters: { prototype: true } }] },
      'recommendations[0].steps[0].parameters.prototype',
    ],
    [
      'a 300-character key',
      { parameters: { ['k'.repeat(300)]: 1 } },
      `recommendations[0].parameters.${'k'.repeat(32)}…`,
    ],
    ['11 levels of nesting', { parameters: deep(11) }, `recommendations[0].parameters${'.n'.repeat(10)}`],
    [
      '30 levels of nesting (refused while reading the body)',
      { metadata: deep(30) },
      `recommendations[0].metadata${'.n'.repeat(10)}`,
    ],
  ])('%s', async (_, fields, field) => {
    const rec = valid(fields);
    const reply = await send(Buffer.from(JSON.stringify(batchOf(rec))));
    expect(reply.status).toBe(400);
    expect(reply.body.details?.some((d) => d.field.startsWith(field))).toBe(true);
    expect(await storedIds()).not.toContain(rec.id);
  });

  it('10,000 levels, duplicate keys, invalid UTF-8 and lone surrogates', async () => {
    const rec = valid({});
    const text = JSON.stringify(batchOf(rec));
    const cases: [Buffer, string][] = [
      [
        Buffer.from(
          text
            .replace('"parameters":{}', '')
            .replace('"priority":1', `"priority":1,"parameters":${'{"n":'.repeat(10_000)}1${'}'.repeat(10_000)}`),
        ),
        'recommendations[0].parameters',
      ],
      [
        Buffer.from(text.replace('"risk_level":"low"', '"risk_level":"critical","risk_level":"low"')),
        'recommendations[0].risk_level',
      ],
      [
        Buffer.concat([
          Buffer.from(text.replace('"Probe"', '"Pro')),
          Buffer.from([0xff, 0xfe]),
          Buffer.from(text.slice(text.indexOf('"Probe"') + 4)),
        ]),
        'body',
      ],
      [Buffer.from(text.replace('"Probe"', '"Pro\\udc00be"')), 'recommendations[0].title'],
    ];
    for (const [bytes, field] of cases) {
      const reply = await send(bytes);
      expect(reply.status).toBe(400);
      expect(reply.body.details?.[0].field.startsWith(field)).toBe(true);
    }
    expect(await storedIds()).not.toContain(rec.id);
  });
});

it('answers 500 hostile policy bodies without a 5xx, and a refused one leaves the stored policy as it was', {
  timeout: 300_000,
}, async () => {
  const policyCustomer = `fuzz-policy-${randomUUID().slice(0, 8)}`;
  const path = `/admin/customers/${policyCustomer}/policy`;
  const put = (bytes: Buffer) =>
    fetch(new URL(path, stack.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' },
      body: bytes,
    });
  const stored = async () =>
    (await fetch(new URL(path, stack.url), { headers: { authorization: `Bearer ${stack.adminKey}` } })).text();
  const rule = fc.record({
    approvals_required: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(-1), fc.constant(1.5)),
    expires_in_seconds: fc.oneof(fc.integer({ min: 60, max: 86_400 }), fc.constant(1)),
  });
  const policy = fc.record(
    {
      risk: fc.oneof(
        fc.dictionary(fc.constantFrom('low', 'medium', 'high', 'critical', 'extreme'), rule, { maxKeys: 3 }),
        oddValue,
      ),
      action_risk: fc.oneof(
        fc.dictionary(
          fc.oneof(fc.constantFrom('delete_database', '__proto__', 'Bad Name'), oddKey),
          fc.constantFrom('low', 'critical', 'extreme'),
        ),
        nested,
      ),
      default_action_risk: fc.constantFrom('low', 'high', 'none'),
      max_concurrent_executions: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constant(0), fc.double()),
      max_wait_seconds: fc.oneof(fc.integer({ min: 60, max: 86_400 }), fc.constant(1e300)),
      revive_discarded: fc.oneof(fc.boolean(), fc.constant('yes')),
      freeze_windows: fc.oneof(
        fc.constant([]),
        fc.array(
          fc.record({
            name: fc.string({ maxLength: 5 }),
            start: fc.constant('2026-01-01T00:00:00Z'),
            end: fc.constantFrom('2026-02-01T00:00:00Z', 'soon'),
          }),
          { maxLength: 2 },
        ),
      ),
    },
    { requiredKeys: [] },
  );
  await fc.assert(
    fc.asyncProperty(policy, encoding, async (value, how) => {
      const before = await stored();
      const bytes = encode(JSON.stringify(value), how === 'deep-brackets' ? 'plain' : how);
      const response = await put(bytes);
      expect(response.status, `${how}: ${bytes.toString('utf8').slice(0, 300)}`).toBeLessThan(500);
      if (response.status !== 200) expect(await stored()).toBe(before);
    }),
    { numRuns: 500 },
  );
});
