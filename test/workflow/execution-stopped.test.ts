// An execution stopped by an operator while it holds its locks: the "execution ended" handler (an
// EventBridge rule on AWS, the local engine's hook here) frees the locks and records the plan failed.

import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, expect, it } from 'vitest';
import type { DynamoResourceLocks } from '../../functions/adapters/resource-locks.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import { eventually } from '../../local/arbiter-client.js';
import { executeNow, executionStackForFile, newCustomer, recommendation } from '../support/execution.js';
import { dynamoStores } from '../support/stores.js';
import { sfnClient } from './harness.js';

const stack = executionStackForFile();
let locks: DynamoResourceLocks;

beforeAll(async () => {
  ({ locks } = dynamoStores(stack.dynamoEndpoint, stack.tableName));
});

it('frees the locks of a stopped execution and records its plan failed', async () => {
  const customer = await newCustomer(stack, 0);
  await executeNow(customer, [
    {
      id: 'rec-slow',
      action: 'resize_disk',
      affected_resources: ['db-slow'],
      parameters: { simulate: { delay_ms: 20_000 } },
    },
  ]);
  await eventually('the step to be running', async () =>
    (await recommendation(customer, 'rec-slow')).plan?.steps[0].status === 'running' ? true : undefined,
  );
  expect(await locks.acquire(customer.id, 'someone-else', ['db-slow'], 10)).toEqual({
    acquired: false,
    reason: expect.stringContaining('db-slow'),
  });

  const executionArn = stack.stepFunctions.executions.executionArn(executionName(customer.id, 'rec-slow'));
  await sfnClient(stack.stepFunctions.endpoint).send(
    new StopExecutionCommand({ executionArn, cause: 'operator stopped it' }),
  );

  const view = await eventually('the plan recorded failed', async () => {
    const r = await recommendation(customer, 'rec-slow');
    return r.status === 'failed' ? r : undefined;
  });
  expect(view.plan?.status).toBe('failed');
  expect(await locks.acquire(customer.id, 'someone-else', ['db-slow'], 10)).toEqual({ acquired: true });
});
