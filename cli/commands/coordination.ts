// Agents' side: `coordinate` (also `recs submit`), `recs list|get`, `conflicts`.
import type { Command } from 'commander';
import type { RecommendationStatus } from '../../sdk/client.js';
import { action, integer } from '../action.js';
import type { Io } from '../context.js';
import { type CoordinateFlags, coordinateInput } from '../coordinate-input.js';
import * as view from '../views.js';

interface PageFlags {
  limit?: number;
  next?: string;
  customer?: string;
}

function coordinateCommand(command: Command, io: Io): Command {
  return command
    .argument('[file]', 'a JSON coordinate request, {"recommendations": [...]} or an array (default: stdin)')
    .option('--customer <id>', 'the customer (else customer_id in the file)')
    .option('--auto-approve', 'waive approval for low risk')
    .option('--execute-now', 'run each plan as soon as it is approved')
    .option('--dry-run', 'show what Arbiter would decide, storing and starting nothing')
    .action(
      action(io, async (ctx, file: string | undefined, flags: CoordinateFlags) => {
        const request = coordinateInput(await ctx.readJson(file, 'the recommendations'), flags);
        ctx.print(await ctx.client().coordinate(request), view.coordination);
      }),
    );
}

export function coordinationCommands(program: Command, io: Io): void {
  coordinateCommand(
    program.command('coordinate').description('submit recommendations: conflicts, kept ones, approvals and plans'),
    io,
  );
  const recs = program.command('recommendations').alias('recs').description('submit and read recommendations');
  coordinateCommand(recs.command('submit').description('the same as `arbiter coordinate`'), io);
  recs
    .command('list')
    .description('the customer’s recommendations, newest first')
    .option('--status <status>', 'only those with this status')
    .option('--limit <n>', 'at most this many (1 to 100)', integer)
    .option('--next <token>', 'the page after the one that gave this token')
    .option('--customer <id>', 'the customer (admin key)')
    .action(
      action(io, async (ctx, o: PageFlags & { status?: RecommendationStatus }) => {
        const page = await ctx.client().listRecommendations({
          status: o.status,
          limit: o.limit,
          next: o.next,
          customer_id: o.customer,
        });
        ctx.print(page, view.recommendationPage);
      }),
    );
  recs
    .command('get <id>')
    .description('one recommendation with its approval, plan and history')
    .option('--customer <id>', 'the customer (admin key)')
    .action(
      action(io, async (ctx, id: string, o: { customer?: string }) => {
        ctx.print(await ctx.client().getRecommendation(id, { customer_id: o.customer }), view.recommendation);
      }),
    );
  program
    .command('conflicts <coordination_id>')
    .description('the conflicts a coordination found, page by page')
    .option('--limit <n>', 'at most this many (1 to 100)', integer)
    .option('--next <token>', 'the page after the one that gave this token')
    .option('--customer <id>', 'the customer (admin key)')
    .action(
      action(io, async (ctx, id: string, o: PageFlags) => {
        const page = await ctx.client().listConflicts(id, { limit: o.limit, next: o.next, customer_id: o.customer });
        ctx.print(page, view.conflictPage);
      }),
    );
}
