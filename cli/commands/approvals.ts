// Approvers' side: `approvals list|approve|reject`, with the approver's own key.
import type { Command } from 'commander';
import { action, integer } from '../action.js';
import { type Context, type Io, UsageError } from '../context.js';
import * as view from '../views.js';

/** Decisions name the approver: --user, else ARBITER_USER. */
function userOf(ctx: Context, user: string | undefined): string {
  const id = user ?? ctx.io.env.ARBITER_USER;
  if (!id) throw new UsageError('name the approver: --user <email or approver id>, or set ARBITER_USER');
  return id;
}

export function approvalCommands(program: Command, io: Io): void {
  const approvals = program.command('approvals').description('pending approvals and decisions (approver key)');
  approvals
    .command('list')
    .description('pending approvals, soonest expiry first')
    .option('--limit <n>', 'at most this many (1 to 100)', integer)
    .option('--next <token>', 'the page after the one that gave this token')
    .option('--customer <id>', 'the customer (admin key)')
    .action(
      action(io, async (ctx, o: { limit?: number; next?: string; customer?: string }) => {
        const page = await ctx.client().listApprovals({ limit: o.limit, next: o.next, customer_id: o.customer });
        ctx.print(page, view.approvalPage);
      }),
    );
  approvals
    .command('approve <approval_id>')
    .description('approve, as the approver the key belongs to')
    .option('--user <id>', 'your email or approver id (default: ARBITER_USER)')
    .action(
      action(io, async (ctx, id: string, o: { user?: string }) => {
        ctx.print(await ctx.client().approve(id, { user_id: userOf(ctx, o.user) }), view.decision);
      }),
    );
  approvals
    .command('reject <approval_id>')
    .description('reject (any rejection vetoes), with a reason')
    .requiredOption('--reason <text>', 'why')
    .option('--user <id>', 'your email or approver id (default: ARBITER_USER)')
    .action(
      action(io, async (ctx, id: string, o: { user?: string; reason: string }) => {
        ctx.print(await ctx.client().reject(id, { user_id: userOf(ctx, o.user), reason: o.reason }), view.decision);
      }),
    );
}
