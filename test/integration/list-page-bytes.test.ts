// List pages bounded by bytes (Lambda answers at most 6 MB, and the local gateway enforces it):
// 100 recommendations, each with 1,000 resource ids of 200 characters, listed 100 at a time over
// HTTP. Each page stays near 4 MB and says `next`; following it gives every one exactly once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { PAGE_BYTES } from '../../functions/core/rules/page-bytes.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { rec } from '../support/fixtures.js';
import { client } from '../support/http.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';

const LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024;
const COUNT = 100;

let stack: LocalStack;
let api: ReturnType<typeof client>;
const customer = `cust-${randomUUID().slice(0, 8)}`;
let agentKey: string;
let approverKey: string;

beforeAll(async () => {
  const tableName = `arbiter-pages-${randomUUID()}`;
  stack = await startLocalStack({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName,
    quiet: true,
    adminKey: `admin-${randomUUID()}`,
  });
  api = client(stack.url);
  agentKey = (await api.post('/admin/agents', { agent_id: 'cost-agent-1', customer_id: customer }, stack.adminKey)).body
    .api_key;
  approverKey = (
    await api.post(`/admin/customers/${customer}/approvers`, { email: 'pager@example.com' }, stack.adminKey)
  ).body.api_key;
  // Stored through the core (one API request may carry 256 KiB, one such recommendation is 200 KB).
  const recommendations = Array.from({ length: COUNT }, (_, i) =>
    rec({
      id: `big-${String(i).padStart(3, '0')}`,
      risk_level: 'medium',
      affected_resources: Array.from({ length: 1000 }, (_, j) => `r${i}-${j}-`.padEnd(200, 'x')),
    }),
  );
  const deps = {
    ...dynamoStores(inject('dynamoEndpoint'), tableName),
    workflow: new RecordingWorkflow(),
    clock: { now: () => new Date() },
    ids: { next: newId },
  };
  const result = await coordinate(CoordinateRequest.parse({ customer_id: customer, recommendations }), deps);
  expect(result.approvals_required).toBe(COUNT);
}, 120_000);
afterAll(() => stack?.stop());

/** Follows `next` from the first page; checks every page's size on the wire. */
async function allPages(path: string, key: string, field: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | undefined;
  let pages = 0;
  let total = 0;
  do {
    const response = await fetch(new URL(`${path}${next ? `&next=${next}` : ''}`, stack.url), {
      headers: { authorization: `Bearer ${key}` },
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    const bytes = Buffer.byteLength(text);
    total += bytes;
    expect(bytes).toBeLessThan(LAMBDA_RESPONSE_BYTES);
    expect(bytes).toBeLessThan(PAGE_BYTES + 300_000);
    const body = JSON.parse(text) as Record<string, { id?: string; recommendation_id?: string }[]> & {
      next?: string;
      count: number;
    };
    expect(body.count).toBe(body[field].length);
    ids.push(...body[field].map((item) => (item.recommendation_id ?? item.id)!));
    next = body.next;
    pages++;
  } while (next);
  // One page of all of them would have crossed Lambda's limit.
  expect(total).toBeGreaterThan(LAMBDA_RESPONSE_BYTES);
  return { ids, pages };
}

const expected = Array.from({ length: COUNT }, (_, i) => `big-${String(i).padStart(3, '0')}`);

describe('list pages bounded by bytes', () => {
  it('GET /coordination/recommendations?limit=100 cuts pages near 4 MB; next gives every recommendation once', async () => {
    const { ids, pages } = await allPages(
      `/coordination/recommendations?limit=100&status=pending_approval`,
      agentKey,
      'recommendations',
    );
    expect(ids.sort()).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(5);
    const unfiltered = await allPages(`/coordination/recommendations?limit=100`, agentKey, 'recommendations');
    expect(unfiltered.ids.sort()).toEqual(expected);
  }, 120_000);

  it('GET /coordination/approvals?limit=100 cuts pages near 4 MB; next gives every approval once', async () => {
    const { ids, pages } = await allPages(`/coordination/approvals?limit=100`, approverKey, 'approvals');
    expect(ids.sort()).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
