// The `arbiter` command line: its commands, and turning failures into a message and an exit code.
// Exit codes: 0 done; 1 Arbiter refused (the error and its fields on stderr) or a watched plan did
// not complete; 2 a usage error (a missing option, an unreadable file).
import { Command, CommanderError } from 'commander';
import { ArbiterError } from '../sdk/client.js';
import { action } from './action.js';
import { agentCommands, approverCommands, policyCommands } from './commands/admin.js';
import { approvalCommands } from './commands/approvals.js';
import { coordinationCommands } from './commands/coordination.js';
import { planCommands } from './commands/plans.js';
import { defaultUrl, type Io, UsageError } from './context.js';
import * as view from './views.js';
import { WatchTimedOut } from './watch.js';

export function buildProgram(io: Io): Command {
  const program = new Command('arbiter')
    .description('Arbiter from the command line: agents, approvers, recommendations, approvals, plans, policy.')
    .option('--url <url>', `Arbiter's API (default: ARBITER_URL, else ${defaultUrl({})} or PORT)`)
    .option('--key <key>', 'the API key (default: ARBITER_KEY, else ARBITER_ADMIN_KEY)')
    .option('--json', 'print JSON instead of text')
    .showHelpAfterError('(arbiter --help lists the commands)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program
    .command('health')
    .description('whether the table, the workflow and the notifications answer')
    .action(
      action(io, async (ctx) => {
        const health = await ctx.client().health();
        ctx.print(health, view.health);
        if (health.status === 'unhealthy') io.setExitCode(1);
      }),
    );
  agentCommands(program, io);
  approverCommands(program, io);
  coordinationCommands(program, io);
  approvalCommands(program, io);
  planCommands(program, io);
  policyCommands(program, io);
  // Subcommands share the program's output and exit handling.
  for (const command of allCommands(program)) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Runs the command line (arguments after the script) and gives the exit code. */
export async function run(args: string[], io: Omit<Io, 'setExitCode'>): Promise<number> {
  let code = 0;
  const full: Io = { ...io, setExitCode: (c) => (code = c) };
  const json = args.includes('--json');
  try {
    await buildProgram(full).parseAsync(args, { from: 'user' });
    return code;
  } catch (error) {
    return reportFailure(error, full, json);
  }
}

function reportFailure(error: unknown, io: Io, json: boolean): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2; // Commander printed it already
  if (error instanceof ArbiterError) {
    const { status, details } = error;
    if (json) io.stderr(`${JSON.stringify({ status, error: error.error, details }, null, 2)}\n`);
    else {
      io.stderr(`error: ${status} ${error.error}\n`);
      for (const field of error.fields) io.stderr(`  ${field}\n`);
      if (status === 401) io.stderr('  (the key comes from --key, ARBITER_KEY or ARBITER_ADMIN_KEY)\n');
    }
    return 1;
  }
  if (error instanceof UsageError) {
    io.stderr(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof WatchTimedOut) {
    io.stderr(`error: ${error.message}\n`);
    return 1;
  }
  io.stderr(`error: ${unreachable(error)}\n`);
  return 1;
}

/** fetch's "fetch failed" with the reason (ECONNREFUSED…) in its cause. */
function unreachable(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (error.name === 'TimeoutError') return 'Arbiter did not answer in time';
  return cause ? `cannot reach Arbiter (${code ?? cause.message}): ${error.message}` : error.message;
}
