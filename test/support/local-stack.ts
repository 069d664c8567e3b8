// The whole local stack in-process for e2e tests: a free port, and the DynamoDB Local that
// vitest's globalSetup started (with a table of its own) instead of a second java per file.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';

export async function startTestStack(
  options: Pick<LocalStackOptions, 'extraRoutes' | 'stepFunctions'> = {},
): Promise<LocalStack> {
  return startLocalStack({
    ...options,
    port: 0,
    quiet: true,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `arbiter-e2e-${randomUUID()}`,
  });
}
