// Admin key: `agents`, `approvers` and `policy`.
import type { Command } from 'commander';
import type {
  ArbiterClient,
  PolicyDocument,
  RevokedKey,
  RotatedAgentKey,
  RotatedApproverKey,
} from '../../sdk/client.js';
import { action, integer } from '../action.js';
import type { Io } from '../context.js';
import * as view from '../views.js';

/** Who holds keys (agents, approvers): how to register one, and how to rotate and revoke its keys. */
interface KeyHolder {
  owner: 'agent' | 'approver';
  /** The command group (`agents`) and its help line. */
  group: string;
  description: string;
  /** Adds the command that registers one: its arguments and options differ by holder. */
  register(group: Command): void;
  rotate(
    client: ArbiterClient,
    id: string,
    customer: string,
    grace: number,
  ): Promise<RotatedAgentKey | RotatedApproverKey>;
  revoke(client: ArbiterClient, id: string, keyId: string, customer: string): Promise<RevokedKey>;
}

/** The group of a key holder: its register command, then `rotate-key` and `revoke-key`, the same for each. */
function keyHolderCommands(program: Command, io: Io, holder: KeyHolder): void {
  const { owner } = holder;
  const group = program.command(holder.group).description(holder.description);
  holder.register(group);
  group
    .command(`rotate-key <${owner}_id>`)
    .description(
      `issue a new key${owner === 'agent' ? ' and signing secret' : ''}; the old ones work --grace seconds more`,
    )
    .requiredOption('--customer <id>', `the ${owner}’s customer`)
    .option('--grace <seconds>', 'how long the old key keeps working', integer, 0)
    .action(
      action(io, async (ctx, id: string, o: { customer: string; grace: number }) => {
        ctx.print(await holder.rotate(ctx.client(), id, o.customer, o.grace), view.rotatedKey);
      }),
    );
  group
    .command(`revoke-key <${owner}_id> <key_id>`)
    .description(`revoke one of the ${owner}’s keys at once`)
    .requiredOption('--customer <id>', `the ${owner}’s customer`)
    .action(
      action(io, async (ctx, id: string, keyId: string, o: { customer: string }) => {
        ctx.print(await holder.revoke(ctx.client(), id, keyId, o.customer), view.revokedKey);
      }),
    );
}

export function agentCommands(program: Command, io: Io): void {
  keyHolderCommands(program, io, {
    owner: 'agent',
    group: 'agents',
    description: 'register agents and manage their keys (admin key)',
    register: (agents) =>
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
        ),
    rotate: (client, id, customer, grace) => client.rotateAgentKey(id, customer, { grace_seconds: grace }),
    revoke: (client, id, keyId, customer) => client.revokeAgentKey(id, keyId, customer),
  });
}

export function approverCommands(program: Command, io: Io): void {
  keyHolderCommands(program, io, {
    owner: 'approver',
    group: 'approvers',
    description: 'register approvers and manage their keys (admin key)',
    register: (approvers) =>
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
        ),
    rotate: (client, id, customer, grace) => client.rotateApproverKey(customer, id, { grace_seconds: grace }),
    revoke: (client, id, keyId, customer) => client.revokeApproverKey(customer, id, keyId),
  });
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
