// A per-customer lease so that two coordinations of one customer never decide on the same
// active set at once. The lease expires by itself if a Lambda dies holding it.
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Busy } from '../core/model/errors.js';
import { deleteIf, putIf } from './conditional-writes.js';
import { keys } from './dynamo.js';

export interface LockOptions {
  leaseMs: number;
  waitMs: number;
}

const DEFAULTS: LockOptions = { leaseMs: 60_000, waitMs: 8_000 };

export async function acquireCustomerLock(
  db: DynamoDBDocumentClient,
  table: string,
  customerId: string,
  options: LockOptions = DEFAULTS,
): Promise<() => Promise<void>> {
  const owner = randomUUID();
  const key = { pk: keys.customer(customerId), sk: keys.coordinationLock };
  const giveUpAt = Date.now() + options.waitMs;
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    const taken = await putIf(db, {
      TableName: table,
      Item: {
        ...key,
        owner,
        lease_until: now + options.leaseMs,
        ttl: Math.ceil((now + options.leaseMs) / 1000) + 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR lease_until < :now',
      ExpressionAttributeValues: { ':now': now },
    });
    if (taken) break;
    if (Date.now() >= giveUpAt)
      throw new Busy(`another coordination for customer ${customerId} is in progress; retry shortly`);
    // Jittered backoff, 20 ms doubling up to 400 ms.
    const delay = Math.min(400, 20 * 2 ** attempt) * (0.5 + Math.random() / 2);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return async () => {
    // False when our lease ran out and someone else holds it now: nothing of ours to release.
    await deleteIf(db, {
      TableName: table,
      Key: key,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': owner },
    });
  };
}
