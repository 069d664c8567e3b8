// Secrets at rest (issue 8 §6), locally: an agent's signing secret is sealed in the table under the
// data directory's key (a scan of DynamoDB Local shows nothing usable), and Arbiter still signs the
// step it dispatches to the agent and verifies the agent's signed callback with it.
import { createServer, type Server } from 'node:http';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoordinationResponse } from '../../functions/core/model/records.js';
import {
  checkSignature,
  SIGNATURE_HEADER,
  type StepRequest,
  signedHeaders,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';
import { arbiterClient, endedPlan, type RegisteredAgent } from '../../local/arbiter-client.js';
import { localClient } from '../../local/dynamodb.js';
import type { LocalStack } from '../../local/stack.js';
import { stackForFile } from '../support/local-stack.js';

const stack = stackForFile();
let agentServer: Server | undefined;
afterAll(() => {
  agentServer?.close();
});

/** An agent on its own endpoint: checks Arbiter's signature, answers 202, then calls back signed. */
async function startAgent(secret: () => string, seen: { dispatch: string[]; callback: number[] }): Promise<string> {
  agentServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const check = checkSignature(
        secret(),
        req.headers[TIMESTAMP_HEADER] as string,
        req.headers[SIGNATURE_HEADER] as string,
        body,
        new Date(),
      );
      seen.dispatch.push(check);
      if (check !== 'valid') return void res.writeHead(401).end();
      res.writeHead(202).end();
      const { callback_url, customer_id } = JSON.parse(body) as StepRequest;
      const report = JSON.stringify({ status: 'completed', customer_id, result: { done: true } });
      void fetch(callback_url, {
        method: 'POST',
        headers: signedHeaders(secret(), report, new Date()),
        body: report,
      }).then((r) => seen.callback.push(r.status));
    });
  });
  await new Promise<void>((resolve) => agentServer!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(agentServer.address() as { port: number }).port}/steps`;
}

/** A scan of the whole table shows the secret nowhere, and the agent's item holds it sealed. */
async function expectSealed(running: LocalStack, secret: string, agentId: string): Promise<void> {
  const db = localClient(running.dynamoEndpoint);
  const items = ((await db.send(new ScanCommand({ TableName: running.tableName }))).Items ?? []).map((item) =>
    unmarshall(item),
  );
  db.destroy();
  expect(JSON.stringify(items)).not.toContain(secret);
  const agentItem = items.find((item) => item.entity === 'agent' && item.agent_id === agentId);
  expect(agentItem?.signing_secret).toMatch(/^v1:/);
}

describe('signing secrets at rest', () => {
  it('are sealed in the table, and dispatch and callback still verify with them', { timeout: 60_000 }, async () => {
    const admin = arbiterClient(stack.url, stack.adminKey);
    const seen = { dispatch: [] as string[], callback: [] as number[] };
    let signingSecret = '';
    const endpoint = await startAgent(() => signingSecret, seen);
    const registered = await admin.call<RegisteredAgent>('POST', '/admin/agents', {
      agent_id: 'sealed-agent',
      customer_id: 'sealed',
      endpoint_url: endpoint,
    });
    expect(registered.status).toBe(201);
    signingSecret = registered.body.signing_secret;
    expect(signingSecret.length).toBeGreaterThan(16);

    await expectSealed(stack, signingSecret, 'sealed-agent');

    const agent = arbiterClient(stack.url, registered.body.api_key);
    const recommendation = {
      id: 'rec-sealed',
      agent_id: 'sealed-agent',
      agent_type: 'cost',
      type: 'cost',
      title: 'Sealed',
      action: 'resize_disk',
      risk_level: 'low',
      affected_resources: ['vol-sealed'],
      priority: 1,
      confidence: 0.9,
    };
    const { body } = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', {
      customer_id: 'sealed',
      recommendations: [recommendation],
      auto_approve: true,
      execute_now: true,
    });
    const { plan } = await endedPlan<{ status: string }>(agent, body.execution_plans[0].id);
    expect(plan.status).toBe('completed');
    expect(seen.dispatch).toEqual(['valid']);
    expect(seen.callback).toEqual([expect.any(Number)]);
    expect(seen.callback[0]).toBeLessThan(300);
  });

  it('a rotated signing secret is sealed like the first', { timeout: 60_000 }, async () => {
    const admin = arbiterClient(stack.url, stack.adminKey);
    expect(
      (await admin.call('POST', '/admin/agents', { agent_id: 'rotated-agent', customer_id: 'sealed-rotation' })).status,
    ).toBe(201);
    const rotated = await admin.call<RegisteredAgent>(
      'POST',
      '/admin/agents/rotated-agent/keys?customer_id=sealed-rotation',
      {},
    );
    expect(rotated.status).toBe(201);
    const secret = rotated.body.signing_secret;
    expect(secret.length).toBeGreaterThan(16);

    await expectSealed(stack, secret, 'rotated-agent');
  });
});
