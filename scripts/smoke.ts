// npm run smoke -- --url <api base url> --admin-key <key> [--coordinate]
// Checks a deployed (or local) stack end to end from outside: health, /openapi.json (OpenAPI 3.1 with the
// registry's routes), /docs and its files, that a key route refuses no key and a key without Bearer, and
// that the admin key works. --coordinate also registers an agent for a throwaway customer (smoke-<random>)
// and coordinates one low-risk recommendation: it writes to the table, so it is opt-in.
// Exit 0 when every check passes; each check prints one line.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'admin-key': { type: 'string' },
    coordinate: { type: 'boolean', default: false },
  },
});
const base = values.url ?? process.env.ARBITER_URL;
const adminKey = values['admin-key'] ?? process.env.ARBITER_ADMIN_KEY;
if (!base || !adminKey) {
  console.error('usage: npm run smoke -- --url <api base url> --admin-key <key> [--coordinate]');
  process.exit(2);
}
// The stage path (…/prod/) is part of the base: keep its trailing slash so relative paths stay under it.
const root = base.endsWith('/') ? base : `${base}/`;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json?: any;
}

async function call(method: string, path: string, init: { key?: string; auth?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.auth) headers.authorization = init.auth;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, root), {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const answer: Answer = { status: response.status, headers: response.headers, text };
  try {
    answer.json = JSON.parse(text);
  } catch {
    // a page or a script
  }
  return answer;
}

let failed = 0;
async function check(name: string, run: () => Promise<string>) {
  try {
    console.log(`ok   ${name}: ${await run()}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${(error as Error).message}`);
  }
}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const brief = (a: Answer) => `${a.status} ${a.text.slice(0, 200)}`;

await check('health', async () => {
  const a = await call('GET', 'health');
  expect(a.status === 200 && a.json?.status, `expected 200, got ${brief(a)}`);
  return `${a.json.status}, version ${a.json.version}`;
});

await check('openapi.json', async () => {
  const a = await call('GET', 'openapi.json');
  expect(a.status === 200, `expected 200, got ${brief(a)}`);
  expect(String(a.json?.openapi).startsWith('3.1'), `not OpenAPI 3.1: ${a.json?.openapi}`);
  const operations = Object.values(a.json.paths as Record<string, object>).flatMap((m) => Object.keys(m)).length;
  expect(operations > 0 && a.json.webhooks?.stepRequest, 'no operations or no stepRequest webhook');
  return `${operations} operations`;
});

await check('docs', async () => {
  const page = await call('GET', 'docs');
  expect(page.status === 200, `expected 200, got ${brief(page)}`);
  expect(page.headers.get('content-security-policy'), 'no Content-Security-Policy');
  const bundle = await call('GET', 'docs/swagger-ui-bundle.js');
  expect(bundle.status === 200 && bundle.text.length > 100_000, `swagger-ui-bundle.js: ${bundle.status}`);
  return `page and ${Math.round(bundle.text.length / 1024)} KiB of Swagger UI`;
});

await check('no key: 401', async () => {
  const a = await call('GET', 'coordination/recommendations');
  expect(a.status === 401, `expected 401, got ${brief(a)}`);
  return a.json?.error;
});

await check('key without Bearer: 401 saying so', async () => {
  const a = await call('GET', 'coordination/recommendations', { auth: adminKey });
  expect(a.status === 401 && /Bearer/.test(a.json?.error), `expected 401 naming Bearer, got ${brief(a)}`);
  return a.json.error;
});

const customer = `smoke-${randomUUID().slice(0, 8)}`;
await check('admin key', async () => {
  const a = await call('GET', `admin/customers/${customer}/policy`, { key: adminKey });
  expect(a.status === 200 && a.json?.customer_id === customer, `expected the default policy, got ${brief(a)}`);
  return `policy of ${customer} read`;
});

if (values.coordinate) {
  await check('coordinate (throwaway customer)', async () => {
    const agent = await call('POST', 'admin/agents', {
      key: adminKey,
      body: { agent_id: 'smoke-agent', customer_id: customer },
    });
    expect(agent.status === 201, `registering an agent: ${brief(agent)}`);
    const a = await call('POST', 'coordination/coordinate', {
      key: agent.json.api_key,
      body: {
        customer_id: customer,
        recommendations: [
          {
            id: 'smoke-1',
            agent_id: 'smoke-agent',
            agent_type: 'smoke',
            type: 'cost',
            title: 'Smoke test',
            action: 'smoke_check',
            risk_level: 'low',
            priority: 1,
            confidence: 1,
          },
        ],
      },
    });
    expect(a.status === 200 && a.json?.recommendations_kept === 1, `expected one kept, got ${brief(a)}`);
    return `coordination ${a.json.id} for ${customer}`;
  });
}

console.log(failed === 0 ? 'smoke: all checks passed' : `smoke: ${failed} check(s) failed`);
process.exit(failed === 0 ? 0 : 1);
