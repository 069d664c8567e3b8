// The one loader of the Lambda handlers the local stack runs in-process (API routes behind the
// gateway, workflow tasks, execution-ended, the reconciler): functions/<name>/handler.ts, imported
// on first use and kept. Each caller turns the typed errors into what its AWS service reports: the
// gateway a 502, the Step Functions tasks a Lambda-shaped error.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';

// biome-ignore lint/suspicious/noExplicitAny: each handler takes its own event type; the caller knows which
export type Handler = (event: any, context: Context) => unknown;

/** No function of that name: not a handler name, or no functions/<name>/handler.ts. */
export class HandlerNotFound extends Error {
  override name = 'HandlerNotFound';
  constructor(readonly handlerName: string) {
    super(`no handler named ${JSON.stringify(handlerName)} (functions/<name>/handler.ts)`);
  }
}

/** The file is there but exports no `handler` function. */
export class NoHandlerExport extends Error {
  override name = 'NoHandlerExport';
  constructor(readonly handlerName: string) {
    super(`functions/${handlerName}/handler.ts exports no handler function`);
  }
}

/** Lower-case words and dashes: a name can never reach outside functions/. */
const HANDLER_NAME = /^[a-z0-9-]+$/;

const loading = new Map<string, Promise<Handler>>();

export function loadHandler<H extends Handler = Handler>(name: string): Promise<H> {
  let handler = loading.get(name);
  if (!handler) {
    handler = importHandlerModule(name);
    // Forget failures: a handler written after the stack started is picked up by the next call.
    handler.catch(() => loading.delete(name));
    loading.set(name, handler);
  }
  return handler as Promise<H>;
}

async function importHandlerModule(name: string): Promise<Handler> {
  const file = new URL(`../functions/${name}/handler.ts`, import.meta.url);
  if (!HANDLER_NAME.test(name) || !existsSync(fileURLToPath(file))) throw new HandlerNotFound(name);
  const module = (await import(file.href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new NoHandlerExport(name);
  return module.handler as Handler;
}
