// A handler that runs out of its own time (middy stops it just before Lambda would) answers 504; a
// dependency's timeout (the AWS SDK's TimeoutError) stays a 503 with Retry-After.
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ErrorResponse, errorResponse } from '../../functions/shared/errors.js';

const logger = new Logger({ logLevel: 'SILENT' });

describe('a handler timeout', () => {
  it("middy's own timeout → 504, without Retry-After", async () => {
    const handler = middy<unknown, ErrorResponse>()
      .use({
        onError: async (request) => {
          request.response = errorResponse(request.error, logger);
        },
      })
      .handler(() => new Promise<ErrorResponse>(() => {}));
    // 50 ms left: middy gives up 5 ms before, as it would 5 ms before Lambda's own timeout.
    const context = { getRemainingTimeInMillis: () => 50 } as unknown as Context;
    const response = await handler({}, context);
    expect(response).toEqual({ status: 504, body: { error: expect.stringContaining('in time') } });
  });

  it("the AWS SDK's TimeoutError (a dependency too slow) → 503", () => {
    const sdk = Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    expect(errorResponse(sdk, logger)).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
  });
});
