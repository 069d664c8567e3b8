// The table's stores: DynamoDB only (every Lambda reads or writes the table). stores() neither seals nor
// opens agents' signing secrets; the three functions that do (admin, dispatch-step, executions) use
// sealed-stores.ts, which brings in the KMS client.
import { documentClient } from '../adapters/dynamo.js';
import { dynamoStores } from '../adapters/stores.js';
import { captureAwsClient } from '../adapters/xray.js';
import type { SecretCipher } from '../core/ports/access.js';
import { clock, config, once } from './runtime.js';

/** The table's one client; each call an X-Ray subsegment when the invocation is traced (adapters/xray.ts). */
const db = once(() => captureAwsClient(documentClient({ endpoint: config().DYNAMODB_ENDPOINT }), 'DynamoDB'));

/** Every store on the one table and client; `secretCipher` seals and opens agents' signing secrets. */
export const tableStores = (secretCipher?: SecretCipher) =>
  dynamoStores({ db: db(), table: config().TABLE_NAME, clock, secretCipher });

/** The stores of a function that never seals or opens a signing secret. */
export const stores = once(() => tableStores());
