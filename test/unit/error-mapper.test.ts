// The one error mapper: dependency failures (down, unreachable, throttling) of DynamoDB, Step
// Functions, SNS and Secrets Manager are 503 with Retry-After; bugs stay 500; domain errors keep theirs.

import { Logger } from '@aws-lambda-powertools/logger';
import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { InternalServiceError } from '@aws-sdk/client-secrets-manager';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ListTopicsCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { Busy, Forbidden, InvalidInput } from '../../functions/core/model/errors.js';
import { errorResponse } from '../../functions/shared/errors.js';
import { freePort } from '../../local/dynamodb.js';

const logger = new Logger({ logLevel: 'SILENT' });
const meta = { $metadata: { httpStatusCode: 500 } };

describe('errorResponse', () => {
  it.each([
    [
      'DynamoDB throttling',
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }),
      '1',
    ],
    ['DynamoDB internal error', new InternalServerError({ message: 'oops', ...meta }), '5'],
    ['SNS throttling', new ThrottledException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }), '1'],
    ['Secrets Manager internal error', new InternalServiceError({ message: 'oops', ...meta }), '5'],
  ])('%s → 503 with Retry-After %s', (_, error, retryAfter) => {
    expect(errorResponse(error, logger)).toMatchObject({ status: 503, headers: { 'retry-after': retryAfter } });
  });

  it('an unreachable Step Functions or SNS endpoint → 503', async () => {
    const port = await freePort();
    const options = {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    };
    for (const send of [
      () => new SFNClient(options).send(new ListExecutionsCommand({})),
      () => new SNSClient(options).send(new ListTopicsCommand({})),
    ]) {
      const error = await send().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      expect(errorResponse(error, logger)).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    }
  });

  it('keeps domain errors and answers a bug or a client-side AWS error with a bare 500', () => {
    expect(errorResponse(new InvalidInput('bad', [{ field: 'x', message: 'y' }]), logger)).toMatchObject({
      status: 400,
      body: { details: [{ field: 'x' }] },
    });
    expect(
      errorResponse(new Forbidden('no', [{ field: 'recommendations[0].agent_id', message: 'z' }]), logger),
    ).toMatchObject({ status: 403, body: { details: [{ field: 'recommendations[0].agent_id' }] } });
    expect(errorResponse(new Busy('wait'), logger)).toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
    expect(errorResponse(new TypeError('x is undefined'), logger)).toEqual({
      status: 500,
      body: { error: 'Internal server error' },
    });
    expect(
      errorResponse(new ConditionalCheckFailedException({ message: 'no', $metadata: { httpStatusCode: 400 } }), logger)
        .status,
    ).toBe(500);
  });
});
