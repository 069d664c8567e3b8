// The stack of a Lambda the workflow invokes: Powertools logger with the ids of the task, the
// input parsed by zod (a malformed input is a bug in the ASL: it fails the task loudly).

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { TransientError, WORKFLOW_ERRORS } from '../core/ports/workflow-contract.js';
import { flushMetrics } from './metrics.js';
import { logger } from './observability.js';

export function taskHandler<S extends z.ZodType>(schema: S, run: (input: z.output<S>) => Promise<unknown>) {
  return middy<unknown, unknown, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(flushMetrics())
    .handler(async (event) => {
      const input = schema.parse(event) as z.output<S>;
      const { customer_id, recommendation_id, approval_id } = input as Record<string, unknown>;
      logger.appendKeys({ customer_id, recommendation_id, approval_id });
      try {
        const result = await run(input);
        logger.info('task done', { result: result as Record<string, unknown> });
        return result;
      } catch (error) {
        // Busy resources, a step an agent refused, a flaky agent: the workflow handles these (retry,
        // rollback). Only the unexpected ones are errors for the logs.
        if (EXPECTED_FAILURES.has((error as Error).name))
          logger.warn('task failed as the workflow expects', {
            error: (error as Error).message,
            name: (error as Error).name,
          });
        else logger.error('task failed', error as Error);
        throw asTransient(error);
      }
    });
}

const EXPECTED_FAILURES = new Set<string>([
  WORKFLOW_ERRORS.ResourceBusy,
  WORKFLOW_ERRORS.StepFailed,
  WORKFLOW_ERRORS.StepTransientError,
  // The reminder task ends an unanswered approval this way ("Record expiry").
  WORKFLOW_ERRORS.Expired,
]);

/**
 * Throttling and 5xx from AWS are worth retrying; the ASL retries errors named TransientError
 * (a Retry on everything would also retry a rejection the workflow must catch instead).
 */
function asTransient(error: unknown): unknown {
  const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string; message?: string };
  const transient =
    e?.$retryable !== undefined ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500 ||
    /Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded/.test(e?.name ?? '');
  if (!transient) return error;
  return new TransientError(`${e.name}: ${e.message}`, { cause: error });
}
