// The local gateway keeps to loopback and to what AWS allows: other Host names get 421 (DNS
// rebinding), a Lambda response over 6,291,556 bytes gets API Gateway's 502, and its log prints no
// link signature, key or token.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Gateway,
  type LambdaHandler,
  type LambdaRoute,
  MAX_LAMBDA_RESPONSE_BYTES,
  startGateway,
} from '../../local/gateway.js';
import { redactUrl } from '../../local/log-redaction.js';

const SECRET = 'TOP-SECRET-VALUE';
/** JSON of `{statusCode: 200, body: ''}`: the envelope around a body of n ASCII characters. */
const ENVELOPE = JSON.stringify({ statusCode: 200, body: '' }).length;

const route = (path: string, handler: LambdaHandler): LambdaRoute => ({
  method: 'GET',
  path,
  functionName: `arbiter-test${path.replaceAll('/', '-')}`,
  load: async () => handler,
});
const sized =
  (bytes: number): LambdaHandler =>
  async () => ({ statusCode: 200, body: 'x'.repeat(bytes - ENVELOPE) });

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    quiet: false,
    routes: [
      route('/ok', async () => ({ statusCode: 200, body: '"ok"' })),
      route('/at-limit', sized(MAX_LAMBDA_RESPONSE_BYTES)),
      route('/over-limit', sized(MAX_LAMBDA_RESPONSE_BYTES + 1)),
      route('/multibyte-over', async () => ({
        statusCode: 200,
        body: 'é'.repeat((MAX_LAMBDA_RESPONSE_BYTES - ENVELOPE) / 2 + 1),
      })),
      route('/leaky', async () => ({ body: JSON.stringify({ api_key: SECRET }) }) as unknown as APIGatewayProxyResult),
    ],
  });
});
afterAll(() => gateway?.close());
afterEach(() => vi.restoreAllMocks());

function get(path: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, gateway.url), { headers: host === undefined ? {} : { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Host names', () => {
  it.each(['127.0.0.1', '127.0.0.1:3000', 'localhost', 'LOCALHOST:8080', 'localhost.', '[::1]', '[::1]:3000'])(
    'answers Host %s',
    async (host) => {
      expect((await get('/ok', host)).status).toBe(200);
    },
  );

  it.each([
    'evil.example',
    'evil.example:3000',
    '127.0.0.1.nip.io',
    'localhost.evil.example',
    '192.168.1.5',
    '[::2]',
    '0.0.0.0',
  ])('answers Host %j with 421 and runs nothing', async (host) => {
    const reply = await get('/ok', host);
    expect(reply.status).toBe(421);
    expect(JSON.parse(reply.body)).toEqual({
      error: expect.stringContaining('answers only to 127.0.0.1, localhost and [::1]'),
    });
  });

  it('answers a request without a Host header (HTTP/1.0) with 421', async () => {
    const { port } = new URL(gateway.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.end('GET /ok HTTP/1.0\r\n\r\n');
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.[01] 421 /);
  });
});

describe("Lambda's 6 MB response limit", () => {
  it('passes a response of exactly 6,291,556 bytes as JSON', async () => {
    const reply = await get('/at-limit');
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(MAX_LAMBDA_RESPONSE_BYTES - ENVELOPE);
  });

  it('answers one byte more, counted in UTF-8, with 502 as API Gateway does', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const path of ['/over-limit', '/multibyte-over']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(502);
      expect(JSON.parse(reply.body)).toEqual({ error: 'Internal server error' });
    }
    expect(vi.mocked(console.error).mock.calls.flat().join(' ')).toMatch(/over Lambda's 6291556-byte response limit/);
  });
});

describe('the gateway log', () => {
  it("prints no review link's sig, nor any key, token or secret in the query", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await get(
      `/ok?approver=ap_1&expires=1893456000&sig=${SECRET}&api_key=${SECRET}&Task%20Token=${SECRET}&x-amz-signature=${SECRET}&q=kept`,
    );
    const printed = log.mock.calls.flat().join('\n');
    expect(printed).toContain(
      '/ok?approver=ap_1&expires=1893456000&sig=[redacted]&api_key=[redacted]&Task%20Token=[redacted]&x-amz-signature=[redacted]&q=kept',
    );
    expect(printed).not.toContain(SECRET);
  });

  it("prints a malformed result's shape, not its body", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await get('/leaky')).status).toBe(502);
    const printed = error.mock.calls.flat().join('\n');
    expect(printed).toContain('malformed proxy result: { body: string }');
    expect(printed).not.toContain(SECRET);
  });

  it('leaves a URL without secrets as it is', () => {
    expect(redactUrl('/coordination/recommendations?status=pending&limit=5')).toBe(
      '/coordination/recommendations?status=pending&limit=5',
    );
    expect(redactUrl('/approvals/a1/review')).toBe('/approvals/a1/review');
  });
});
