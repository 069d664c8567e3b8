// Signing secrets sealed at rest (issue 8 §6, the part in the stores): with a cipher wired, a scan
// of the table shows no usable secret, while the agent directory still gives the secret to sign with.
import { randomBytes, randomUUID } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, expect, it } from 'vitest';
import { DynamoCredentialStore } from '../../functions/adapters/credential-store.js';
import { documentClient, keys } from '../../functions/adapters/dynamo.js';
import { DynamoKeyStore } from '../../functions/adapters/key-store.js';
import { aesGcmCipher } from '../../functions/adapters/secret-cipher.js';
import { AgentRegistration } from '../../functions/core/model/inputs.js';
import { registerAgent } from '../../functions/core/use-cases/register-agent.js';
import { rotateKey } from '../../functions/core/use-cases/rotate-key.js';
import { freshTable } from '../support/table.js';

let db: ReturnType<typeof documentClient>;
let table: string;
const cipher = aesGcmCipher(randomBytes(32));
const clock = { now: () => new Date() };

beforeAll(async () => {
  const t = await freshTable();
  table = t.tableName;
  db = documentClient({ endpoint: t.endpoint });
});

async function tableText(): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

it('stores sealed secrets, gives them back opened, and seals rotated ones too', async () => {
  const credentials = new DynamoCredentialStore(db, table, cipher);
  const customer = `seal-${randomUUID().slice(0, 8)}`;
  const agent = await registerAgent(
    AgentRegistration.parse({ agent_id: 'a1', customer_id: customer, endpoint_url: 'https://agent.example/steps' }),
    { credentials, clock },
  );
  expect(await tableText()).not.toContain(agent.signing_secret);
  expect((await credentials.getAgent(customer, 'a1'))?.signing_secret).toBe(agent.signing_secret);

  const rotated = await rotateKey({ kind: 'agent', customer_id: customer, id: 'a1' }, 600, {
    keys: new DynamoKeyStore(db, table, cipher),
    clock,
  });
  const text = await tableText();
  expect(text).not.toContain(rotated.signing_secret!);
  expect(text).not.toContain(agent.signing_secret);
  expect(await credentials.getAgent(customer, 'a1')).toMatchObject({
    signing_secret: rotated.signing_secret,
    previous_signing_secret: agent.signing_secret,
  });
});

it('reads secrets stored before sealing as they are, and refuses a tampered one', async () => {
  const customer = `seal-${randomUUID().slice(0, 8)}`;
  const item = {
    pk: keys.customer(customer),
    sk: keys.agent('old'),
    agent_id: 'old',
    customer_id: customer,
    signing_secret: 'arb_sign_plain',
    created_at: new Date().toISOString(),
  };
  await db.send(new PutCommand({ TableName: table, Item: item }));
  const credentials = new DynamoCredentialStore(db, table, cipher);
  expect((await credentials.getAgent(customer, 'old'))?.signing_secret).toBe('arb_sign_plain');
  const sealed = await cipher.seal('arb_sign_x');
  const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
  await expect(cipher.open(tampered)).rejects.toThrow();
});
