// Commander calls an action with the positional arguments, the command's options and the command;
// this gives the action a Context built from the command's (and its parents') options instead.
import type { Command } from 'commander';
import { Context, type Io } from './context.js';

export function action<A extends unknown[]>(io: Io, run: (context: Context, ...args: A) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    await run(Context.of(command, io), ...(args.slice(0, -1) as A));
  };
}

/** `--limit 10` as a number; Commander passes option values as strings. */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`not a whole number: ${value}`);
  return n;
}
