// `arbiter`: the command line's entry (cli/arbiter.mjs runs it through tsx).
import { text } from 'node:stream/consumers';
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdin: async () => (process.stdin.isTTY ? undefined : text(process.stdin)),
  env: process.env,
});
