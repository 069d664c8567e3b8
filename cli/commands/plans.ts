// `plans get|execute|watch`, and `cancel <recommendation_id>`.
import type { Command } from 'commander';
import { action, integer } from '../action.js';
import type { Io } from '../context.js';
import * as view from '../views.js';
import { describeChange, watchPlan } from '../watch.js';

export function planCommands(program: Command, io: Io): void {
  program
    .command('cancel <recommendation_id>')
    .description('cancel a recommendation: at once before it runs; while executing, stop and roll back')
    .requiredOption('--reason <text>', 'why (kept in its history)')
    .option('--customer <id>', 'the customer (admin key)')
    .action(
      action(io, async (ctx, id: string, o: { reason: string; customer?: string }) => {
        const answer = await ctx.client().cancel(id, o.reason, { customer_id: o.customer });
        ctx.print(answer, (a) => `${a.message}: ${a.recommendation_id} (${a.status}, by ${a.cancel_requested.by})`);
      }),
    );
  const plans = program.command('plans').description('read, run and follow execution plans');
  plans
    .command('get <plan_id>')
    .description('the plan and each step’s status, result and timing')
    .option('--customer <id>', 'the customer (admin key)')
    .action(
      action(io, async (ctx, id: string, o: { customer?: string }) => {
        ctx.print(await ctx.client().getPlan(id, { customer_id: o.customer }), view.plan);
      }),
    );
  plans
    .command('execute <plan_id>')
    .description('run an approved plan')
    .option('--customer <id>', 'the customer (admin key)')
    .action(
      action(io, async (ctx, id: string, o: { customer?: string }) => {
        const started = await ctx.client().executePlan(id, { customer_id: o.customer });
        ctx.print(started, (s) => `${s.message}: plan ${s.plan_id}`);
      }),
    );
  plans
    .command('watch <plan_id>')
    .description('follow the plan step by step until it ends; exit 0 if it completed, 1 otherwise')
    .option('--customer <id>', 'the customer (admin key)')
    .option('--interval <ms>', 'how often to read the plan', integer, 1000)
    .option('--timeout <seconds>', 'give up after this long (0: never)', integer, 0)
    .action(
      action(io, async (ctx, id: string, o: { customer?: string; interval: number; timeout: number }) => {
        const client = ctx.client();
        const ended = await watchPlan(
          () => client.getPlan(id, { customer_id: o.customer }),
          (change) => io.stdout(`${ctx.json ? JSON.stringify(change) : describeChange(change)}\n`),
          { intervalMs: Math.max(50, o.interval), timeoutMs: o.timeout * 1000 },
        );
        if (!ctx.json) io.stdout(`${view.plan(ended)}\n`);
        if (ended.status !== 'completed') io.setExitCode(1);
      }),
    );
}
