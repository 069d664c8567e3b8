// Registered agents and the hashes of the API keys issued to them.
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { StateConflict } from '../core/model/errors.js';
import type { IssuedKey, Principal } from '../core/ports/access.js';
import type { AgentCircuits } from '../core/ports/agent-circuits.js';
import type { Clock } from '../core/ports/clock.js';
import type {
  AgentDirectory,
  AgentRecord,
  CredentialStore,
  RegisteredAgents,
  SecretCipher,
} from '../core/ports/index.js';
import { DynamoAgentCircuits } from './agent-circuits.js';
import { conditionFailed, transact } from './conditional-writes.js';
import { fromItem, keys } from './dynamo.js';
import { apiKeyKey, apiKeyPut } from './key-items.js';
import { plaintextCipher } from './secret-cipher.js';
import { systemClock } from './system-clock.js';

export class DynamoCredentialStore implements CredentialStore, AgentDirectory, RegisteredAgents, AgentCircuits {
  /** The agents' circuit breakers, reached through the directory that knows the agents. */
  private readonly circuits: DynamoAgentCircuits;
  getCircuit: AgentCircuits['getCircuit'];
  recordAgentFailure: AgentCircuits['recordAgentFailure'];
  recordAgentSuccess: AgentCircuits['recordAgentSuccess'];
  claimAgentTrial: AgentCircuits['claimAgentTrial'];

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Signing secrets are sealed with it in the table; plaintext until the runtime wires one. */
    private readonly cipher: SecretCipher = plaintextCipher,
    private readonly clock: Clock = systemClock,
  ) {
    this.circuits = new DynamoAgentCircuits(db, table);
    this.getCircuit = (...args) => this.circuits.getCircuit(...args);
    this.recordAgentFailure = (...args) => this.circuits.recordAgentFailure(...args);
    this.recordAgentSuccess = (...args) => this.circuits.recordAgentSuccess(...args);
    this.claimAgentTrial = (...args) => this.circuits.claimAgentTrial(...args);
  }

  /** A key on notice (rotated with a grace period) stops working at its expires_at; a revoked one has no item. */
  async findPrincipal(keyHash: string, now = this.clock.now()): Promise<Principal | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: apiKeyKey(keyHash) }));
    const item = result.Item as { principal: Principal; expires_at?: string } | undefined;
    if (!item || (item.expires_at && Date.parse(item.expires_at) <= now.getTime())) return undefined;
    return item.principal;
  }

  async getAgent(customerId: string, agentId: string): Promise<AgentRecord | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: keys.customer(customerId), sk: keys.agent(agentId) } }),
    );
    if (!result.Item) return undefined;
    const agent = fromItem<AgentRecord & { api_keys?: unknown; key_hash?: unknown }>(result.Item);
    delete agent.api_keys;
    delete agent.key_hash;
    return {
      ...agent,
      signing_secret: await this.cipher.open(agent.signing_secret),
      ...(agent.previous_signing_secret
        ? { previous_signing_secret: await this.cipher.open(agent.previous_signing_secret) }
        : {}),
    };
  }

  async registeredAgents(customerId: string, agentIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    // BatchGetItem takes at most 100 keys; what it leaves unprocessed (throttling) is asked again.
    for (let i = 0; i < agentIds.length; i += 100) {
      let request: Record<string, { Keys: Record<string, string>[]; ProjectionExpression: string }> | undefined = {
        [this.table]: {
          Keys: agentIds.slice(i, i + 100).map((id) => ({ pk: keys.customer(customerId), sk: keys.agent(id) })),
          ProjectionExpression: 'agent_id',
        },
      };
      while (request && Object.keys(request).length > 0) {
        const result = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of result.Responses?.[this.table] ?? []) found.add(item.agent_id as string);
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async registerAgent(agent: AgentRecord, key: IssuedKey): Promise<void> {
    const principal: Principal = {
      role: 'agent',
      customer_id: agent.customer_id,
      agent_id: agent.agent_id,
      ...(agent.role === 'orchestrator' ? { orchestrator: true } : {}),
    };
    const sealed = await this.cipher.seal(agent.signing_secret);
    const cancelled = await transact(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            pk: keys.customer(agent.customer_id),
            sk: keys.agent(agent.agent_id),
            entity: 'agent',
            ...agent,
            signing_secret: sealed,
            api_keys: [key],
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      apiKeyPut(this.table, key, principal),
    ]);
    if (cancelled && conditionFailed(cancelled, 0))
      throw new StateConflict(`agent ${agent.agent_id} is already registered for customer ${agent.customer_id}`);
    if (cancelled) throw cancelled;
  }
}
