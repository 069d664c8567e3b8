// Tracing (issue 9 §2): with a trace header and a daemon address, as Lambda sets them on a traced invocation,
// each AWS SDK call (here DynamoDB Local) and each agent call reaches a stand-in X-Ray daemon (a UDP socket)
// as a subsegment of the invocation's segment; without them, as on the local stack, nothing is sent.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { HttpAgentClient } from '../../functions/adapters/agent-client.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { captureAwsClient, currentTrace } from '../../functions/adapters/xray.js';
import { StepTransientError } from '../../functions/core/ports/workflow-contract.js';

const ROOT = '1-67891233-abcdef012345678912345678';
const PARENT = '53995c3f42cd8ad8';
const daemon = createSocket('udp4');
const received: Record<string, unknown>[] = [];
let daemonAddress = '';

beforeAll(async () => {
  daemon.on('message', (msg) => {
    const [header, body] = msg.toString('utf8').split('\n');
    expect(JSON.parse(header)).toEqual({ format: 'json', version: 1 });
    received.push(JSON.parse(body));
  });
  daemon.bind(0, '127.0.0.1');
  await once(daemon, 'listening');
  daemonAddress = `127.0.0.1:${(daemon.address() as AddressInfo).port}`;
});
afterAll(() => daemon.close());
afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID;
  delete process.env.AWS_XRAY_DAEMON_ADDRESS;
  received.length = 0;
});

function traced(sampled = '1') {
  process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=${sampled}`;
  process.env.AWS_XRAY_DAEMON_ADDRESS = daemonAddress;
}

/** Subsegments arrive over UDP: wait until `count` have, or fail after a while. */
async function subsegments(count: number) {
  for (let waited = 0; received.length < count && waited < 2000; waited += 10)
    await new Promise((r) => setTimeout(r, 10));
  return received;
}

async function agentServer(status: number) {
  const server = createServer((_, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'completed' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/steps`, server };
}

const request = {
  step_id: 's1',
  plan_id: 'p1',
  recommendation_id: 'r1',
  customer_id: 'c1',
  action: 'take_snapshot',
  mode: 'execute' as const,
  parameters: {},
  callback_url: 'http://127.0.0.1:1/cb',
};

describe('X-Ray subsegments', () => {
  it('reads the trace only when Lambda says it is sampled and where the daemon listens', () => {
    expect(currentTrace({})).toBeUndefined();
    const header = `Root=${ROOT};Parent=${PARENT};Sampled=1`;
    expect(currentTrace({ _X_AMZN_TRACE_ID: header })).toBeUndefined();
    expect(
      currentTrace({ _X_AMZN_TRACE_ID: header.replace('Sampled=1', 'Sampled=0'), AWS_XRAY_DAEMON_ADDRESS: 'h:1' }),
    ).toBeUndefined();
    expect(
      currentTrace({ _X_AMZN_TRACE_ID: header, AWS_XRAY_DAEMON_ADDRESS: 'h:1', POWERTOOLS_TRACE_ENABLED: 'false' }),
    ).toBeUndefined();
    expect(
      currentTrace({ _X_AMZN_TRACE_ID: header, AWS_XRAY_DAEMON_ADDRESS: 'tcp:10.0.0.1:2000 udp:10.0.0.2:2001' }),
    ).toEqual({ root: ROOT, parent: PARENT, daemon: { host: '10.0.0.2', port: 2001 } });
  });

  it('sends each AWS SDK call as an aws subsegment of the invocation, with operation and request id', async () => {
    traced();
    const db = captureAwsClient(documentClient({ endpoint: inject('dynamoEndpoint') }), 'DynamoDB');
    await db.send(new ListTablesCommand({}));
    const [doc] = await subsegments(1);
    expect(doc).toMatchObject({
      type: 'subsegment',
      parent_id: PARENT,
      trace_id: ROOT,
      name: 'DynamoDB',
      namespace: 'aws',
      aws: { operation: 'ListTables', retries: 0 },
    });
    expect(doc.id).toMatch(/^[0-9a-f]{16}$/);
    expect(doc.end_time as number).toBeGreaterThanOrEqual(doc.start_time as number);
    expect(doc).not.toHaveProperty('fault');
  });

  it('sends the agent call as a remote subsegment named after its host, a 5xx as a fault', async () => {
    traced();
    const ok = await agentServer(200);
    const down = await agentServer(503);
    try {
      const client = new HttpAgentClient();
      await client.send({ endpoint: ok.url, secret: 's'.repeat(32), simulated: false }, request, 2000);
      await expect(
        client.send({ endpoint: down.url, secret: 's'.repeat(32), simulated: false }, request, 2000),
      ).rejects.toBeInstanceOf(StepTransientError);
      const docs = await subsegments(2);
      const host = (url: string) => new URL(url).host;
      expect(docs.find((d) => d.name === host(ok.url))).toMatchObject({
        namespace: 'remote',
        parent_id: PARENT,
        http: { request: { method: 'POST', url: ok.url }, response: { status: 200 } },
      });
      expect(docs.find((d) => d.name === host(down.url))).toMatchObject({
        fault: true,
        http: { response: { status: 503 } },
      });
    } finally {
      ok.server.close();
      down.server.close();
    }
  });

  it('sends nothing when the invocation is not traced (the local stack) or not sampled', async () => {
    const db = captureAwsClient(documentClient({ endpoint: inject('dynamoEndpoint') }), 'DynamoDB');
    await db.send(new ListTablesCommand({}));
    traced('0');
    await db.send(new ListTablesCommand({}));
    // A sampled call after them: once it arrives, anything sent before it would have too.
    traced();
    await db.send(new ListTablesCommand({}));
    expect(await subsegments(1)).toHaveLength(1);
  });
});
