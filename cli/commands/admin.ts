// Admin key: `agents`, `approvers` and `policy`.
import type { Command } from 'commander';
import type { PolicyDocument } from '../../sdk/client.js';
import { action, integer } from '../action.js';
import type { Io } from '../context.js';
import * as view from '../views.js';

export function agentCommands(program: Command, io: Io): void {
  const agents = program.command('agents').description('register agents and manage their keys (admin key)');
  agents
    .command('register')
    .description('register an agent: prints its API key and signing secret (shown once)')
    .requiredOption('--agent <id>', 'the agent id')
    .requiredOption('--customer <id>', 'the customer it works for')
    .option('--endpoint <url>', 'where Arbiter POSTs its steps (none: simulated locally)')
    .option('--orchestrator', 'may submit for any agent of the customer')
    .action(
      action(io, async (ctx, o: { agent: string; customer: string; endpoint?: string; orchestrator?: boolean }) => {
        const agent = await ctx.client().registerAgent({
          agent_id: o.agent,
          customer_id: o.customer,
          ...(o.endpoint ? { endpoint_url: o.endpoint } : {}),
          ...(o.orchestrator ? { role: 'orchestrator' as const } : {}),
        });
        ctx.print(agent, view.registeredAgent);
      }),
    );
  agents
    .command('rotate-key <agent_id>')
    .description('issue a new key and signing secret; the old ones work --grace seconds more')
    .requiredOption('--customer <id>', 'the agent’s customer')
    .option('--grace <seconds>', 'how long the old key keeps working', integer, 0)
    .action(
      action(io, async (ctx, agentId: string, o: { customer: string; grace: number }) => {
        ctx.print(await ctx.client().rotateAgentKey(agentId, o.customer, { grace_seconds: o.grace }), view.rotatedKey);
      }),
    );
  agents
    .command('revoke-key <agent_id> <key_id>')
    .description('revoke one of the agent’s keys at once')
    .requiredOption('--customer <id>', 'the agent’s customer')
    .action(
      action(io, async (ctx, agentId: string, keyId: string, o: { customer: string }) => {
        ctx.print(await ctx.client().revokeAgentKey(agentId, keyId, o.customer), view.revokedKey);
      }),
    );
}

export function approverCommands(program: Command, io: Io): void {
  const approvers = program.command('approvers').description('register approvers and manage their keys (admin key)');
  approvers
    .command('add <email>')
    .description('register an approver: prints their API key (shown once) and subscribes the email')
    .requiredOption('--customer <id>', 'the customer whose approvals they decide')
    .option('--name <name>', 'their name')
    .action(
      action(io, async (ctx, email: string, o: { customer: string; name?: string }) => {
        const approver = await ctx.client().addApprover(o.customer, { email, ...(o.name ? { name: o.name } : {}) });
        ctx.print(approver, view.registeredApprover);
      }),
    );
  approvers
    .command('rotate-key <approver_id>')
    .description('issue a new key; the old ones work --grace seconds more')
    .requiredOption('--customer <id>', 'the approver’s customer')
    .option('--grace <seconds>', 'how long the old key keeps working', integer, 0)
    .action(
      action(io, async (ctx, approverId: string, o: { customer: string; grace: number }) => {
        const key = await ctx.client().rotateApproverKey(o.customer, approverId, { grace_seconds: o.grace });
        ctx.print(key, view.rotatedKey);
      }),
    );
  approvers
    .command('revoke-key <approver_id> <key_id>')
    .description('revoke one of the approver’s keys at once')
    .requiredOption('--customer <id>', 'the approver’s customer')
    .action(
      action(io, async (ctx, approverId: string, keyId: string, o: { customer: string }) => {
        ctx.print(await ctx.client().revokeApproverKey(o.customer, approverId, keyId), view.revokedKey);
      }),
    );
}

export function policyCommands(program: Command, io: Io): void {
  const policy = program.command('policy').description('read and set a customer’s approval policy (admin key)');
  policy
    .command('get <customer_id>')
    .description('the policy with every default filled in')
    .action(
      action(io, async (ctx, customerId: string) => {
        ctx.print(await ctx.client().getPolicy(customerId), view.policy);
      }),
    );
  policy
    .command('set <customer_id> [file]')
    .description('replace the policy with a JSON document (a file, or stdin); what it leaves out takes its default')
    .action(
      action(io, async (ctx, customerId: string, file: string | undefined) => {
        const document = (await ctx.readJson(file, 'the policy')) as PolicyDocument;
        ctx.print(await ctx.client().setPolicy(customerId, document), view.policy);
      }),
    );
}
