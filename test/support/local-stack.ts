// The whole local stack in-process for e2e tests: a free port, and the DynamoDB Local that
// vitest's globalSetup started (with a table of its own) instead of a second java per file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { type ArbiterClient, arbiterClient, registerAgent } from '../../local/arbiter-client.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';

export async function startTestStack(
  options: Pick<LocalStackOptions, 'extraRoutes' | 'stepFunctions' | 'adminKey'> = {},
): Promise<LocalStack> {
  return startLocalStack({
    ...options,
    port: 0,
    quiet: true,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `arbiter-e2e-${randomUUID()}`,
  });
}

/**
 * The stack of this test file: started before its tests, stopped after them (even when they fail).
 * What it gives stands for that stack from the first test on (it forwards to it), so a file names it
 * once at the top, as `const stack = stackForFile()`, and uses it as the stack itself.
 */
export function stackForFile(start: () => Promise<LocalStack> = () => startTestStack()): LocalStack {
  let live: LocalStack | undefined;
  beforeAll(async () => {
    live = await start();
  });
  afterAll(() => live?.stop());
  return new Proxy({} as LocalStack, {
    get(_, key) {
      if (live) return Reflect.get(live, key);
      // Not a promise (await reads `then`); anything else is a test using the stack outside its tests.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      throw new Error(`the file's local stack is not running (stack.${key} read outside a test)`);
    },
  });
}

/** An agent registered with the stack's admin key, and the API as that agent. */
export async function agentOf(stack: LocalStack, agentId: string, customerId: string): Promise<ArbiterClient> {
  const { api_key } = await registerAgent(arbiterClient(stack.url, stack.adminKey), agentId, customerId);
  return arbiterClient(stack.url, api_key);
}
