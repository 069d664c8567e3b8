// DynamoDB Local as the local stack runs it: in a network namespace of its own (it cannot be told
// to listen on loopback only), reachable through a loopback-only endpoint; and, supervised, started
// again with its data when it dies, which stderr and /health report meanwhile.
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import { eventually } from '../../local/arbiter-client.js';
import { canIsolate, createTable, type DynamoLocal, localClient, startDynamoLocal } from '../../local/dynamodb.js';
import { startLocalStack } from '../../local/stack.js';
import { javaUnder } from '../support/processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-dynamodb-data-'));
const started: DynamoLocal[] = [];
afterAll(async () => {
  for (const dynamo of started) await dynamo.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const key = { [TABLE_SCHEMA.partitionKey]: { S: 'pk-1' }, [TABLE_SCHEMA.sortKey]: { S: 'sk-1' } };

describe('DynamoDB Local off the network', () => {
  it('runs java in a network namespace of its own, behind an endpoint that listens on loopback only', async () => {
    expect(canIsolate()).toBe(true);
    const dynamo = await startDynamoLocal({ report: () => {} });
    started.push(dynamo);
    expect(dynamo.isolation).toBe('network namespace');
    const java = javaUnder(dynamo.pid as number);
    expect(readlinkSync(`/proc/${java}/ns/net`)).not.toBe(readlinkSync('/proc/self/ns/net'));

    const port = Number(new URL(dynamo.endpoint).port);
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address as string);
    for (const address of addresses) expect(await refused(address, port), address).toBe(true);
    const client = localClient(dynamo.endpoint);
    await createTable(client, 'isolated');
    client.destroy();
  });
});

describe('a supervised DynamoDB Local', () => {
  it('is reported on stderr when it dies and started again on the same endpoint, keeping its data', async () => {
    const reports: string[] = [];
    const dynamo = await startDynamoLocal({ path: dataDir, supervise: true, report: (line) => reports.push(line) });
    started.push(dynamo);
    const client = localClient(dynamo.endpoint);
    await createTable(client, 'supervised');
    await client.send(new PutItemCommand({ TableName: 'supervised', Item: { ...key, note: { S: 'kept' } } }));
    const first = dynamo.pid as number;

    process.kill(first, 'SIGKILL');
    await eventually('the death to be reported', async () =>
      reports.some((r) => r.includes('exited unexpectedly')) ? true : undefined,
    );
    expect(reports[0]).toMatch(
      new RegExp(`restarting it in \\d+ ms on ${dynamo.endpoint} \\(its data in ${dataDir} is kept\\)`),
    );
    const item = await eventually(
      'DynamoDB Local to be back',
      () =>
        client.send(new GetItemCommand({ TableName: 'supervised', Key: key })).then(
          (r) => r.Item,
          () => undefined,
        ),
      30_000,
    );
    expect(item?.note).toEqual({ S: 'kept' });
    expect(dynamo.pid).not.toBe(first);
    expect(dynamo.restarts).toBe(1);
    expect(reports.at(-1)).toBe(`[dynamodb] DynamoDB Local is back on ${dynamo.endpoint} (restart 1)`);
    client.destroy();
  });

  it('keeps /health of a local stack on it at 503 while it is down, and 200 once it is back', async () => {
    const reports: string[] = [];
    // In memory, as `npm start` without ARBITER_DATA_DIR: the table is made again on restart.
    const remakeTable = async (endpoint: string) => {
      const client = localClient(endpoint);
      await createTable(client, 'arbiter-health').finally(() => client.destroy());
    };
    const dynamo = await startDynamoLocal({
      supervise: true,
      restartDelayMs: 3000,
      onRestart: remakeTable,
      report: (line) => reports.push(line),
    });
    started.push(dynamo);
    const stack = await startLocalStack({
      port: 0,
      quiet: true,
      dynamoEndpoint: dynamo.endpoint,
      tableName: 'arbiter-health',
    });
    try {
      const health = () => fetch(`${stack.url}/health`).then((r) => r.status);
      expect(await health()).toBe(200);
      process.kill(dynamo.pid as number, 'SIGKILL');
      await eventually('/health to say 503', async () => ((await health()) === 503 ? true : undefined), 20_000);
      expect(reports).toEqual([expect.stringContaining('exited unexpectedly (SIGKILL); restarting it in 3000 ms')]);
      await eventually('/health to say 200', async () => ((await health()) === 200 ? true : undefined), 20_000);
    } finally {
      await stack.stop();
    }
  });
});
