// What every Lambda's wiring shares: the parsed environment, the clock, ids, and ports built on first
// use. Each handler assembles its own dependencies from the small modules beside this one (stores,
// api-keys, workflow, notifier, link-secret, agents), so that its bundle holds only the adapters and
// AWS SDK clients it uses (issue 12 §6). None of them does anything when imported: a Lambda builds
// its parts at its first invocation, once per cold start.
import { newId } from '../adapters/ids.js';
import { systemClock } from '../adapters/system-clock.js';
import type { Clock } from '../core/ports/clock.js';
import type { IdGenerator } from '../core/ports/ids.js';
import { type Env, env } from './env.js';

/** The environment, parsed once (env.ts). */
export const config = env;

export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** A setting this function needs for a part it is asked to use; CDK sets it only where the access is granted. */
export function required<K extends keyof Env>(name: K): NonNullable<Env[K]> {
  const value = config()[name];
  if (value === undefined) throw new Error(`this function is not configured with ${String(name)}`);
  return value as NonNullable<Env[K]>;
}

export const clock: Clock = systemClock;
export const ids: IdGenerator = { next: newId };

/**
 * A port built when first used, once. A part this function is not configured for (no state machine,
 * no topic) therefore fails where it is used, not where the dependencies are assembled, nor where the
 * core copies them (`{ ...deps }`): the port is a stand-in object whose members build the real one.
 */
export function deferred<T extends object>(make: () => T): T {
  const port = once(make);
  return new Proxy({} as T, {
    get(_, member) {
      const real = port();
      const value = Reflect.get(real, member, real);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}
