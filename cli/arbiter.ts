// `arbiter`: the command line's entry (cli/arbiter.mjs runs it through tsx).
import { text } from 'node:stream/consumers';
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  // Nothing piped (a terminal, or an empty pipe): no document.
  stdin: async () => {
    if (process.stdin.isTTY) return undefined;
    const piped = await text(process.stdin);
    return piped.trim() === '' ? undefined : piped;
  },
  env: process.env,
});
