// What every command shares: where Arbiter is and with which key (flags, else the environment),
// whether to print JSON, where output goes, and reading JSON documents from a file or stdin.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ArbiterClient } from '../sdk/client.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Piped input, or undefined when stdin is a terminal. */
  stdin: () => Promise<string | undefined>;
  env: Record<string, string | undefined>;
  /** A command that ran but ended badly (a plan that did not complete) exits with this. */
  setExitCode(code: number): void;
}

export interface GlobalOptions {
  url?: string;
  key?: string;
  json?: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The local stack's address, honouring PORT as `npm start` does. */
export function defaultUrl(env: Io['env']): string {
  return env.ARBITER_URL ?? `http://127.0.0.1:${env.PORT || 3000}`;
}

export class Context {
  readonly json: boolean;
  readonly url: string;
  readonly key: string | undefined;

  constructor(
    readonly io: Io,
    options: GlobalOptions,
  ) {
    this.json = options.json === true;
    this.url = options.url ?? defaultUrl(io.env);
    this.key = options.key ?? io.env.ARBITER_KEY ?? io.env.ARBITER_ADMIN_KEY;
  }

  static of(command: Command, io: Io): Context {
    return new Context(io, command.optsWithGlobals<GlobalOptions>());
  }

  client(): ArbiterClient {
    return new ArbiterClient(this.url, this.key);
  }

  /** JSON as is with --json; otherwise what `readable` makes of it. */
  print<T>(value: T, readable: (value: T) => string): void {
    this.io.stdout(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${readable(value)}\n`);
  }

  /** A JSON document from a file, `-` for stdin, or stdin when no file is given and input is piped. */
  async readJson(file: string | undefined, what: string): Promise<unknown> {
    const text =
      file !== undefined && file !== '-'
        ? await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
            throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
          })
        : await this.io.stdin();
    if (text === undefined) throw new UsageError(`give ${what} as a file, or pipe it on stdin`);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${file && file !== '-' ? file : 'stdin'} is not JSON: ${(error as Error).message}`);
    }
  }
}
