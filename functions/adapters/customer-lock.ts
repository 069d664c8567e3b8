// A per-customer lease so that two coordinations of one customer never decide on the same
// active set at once. The lease expires by itself if a Lambda dies holding it.
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Busy } from '../core/model/errors.js';
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
    try {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...key,
            owner,
            lease_until: now + options.leaseMs,
            ttl: Math.ceil((now + options.leaseMs) / 1000) + 3600,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR lease_until < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      break;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (Date.now() >= giveUpAt)
        throw new Busy(`another coordination for customer ${customerId} is in progress; retry shortly`);
      // Jittered backoff, 20 ms doubling up to 400 ms.
      const delay = Math.min(400, 20 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return async () => {
    try {
      await db.send(
        new DeleteCommand({
          TableName: table,
          Key: key,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      // Our lease ran out and someone else holds it now: nothing of ours to release.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };
}
