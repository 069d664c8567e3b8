// Agents' circuit breakers on the table: one item per customer and agent; every change of state is
// a conditional write, so an opening or a closing is seen (and alerted) by exactly one caller.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AgentCircuits, Circuit } from '../core/ports/agent-circuits.js';
import { updateIf, updateIfReturning } from './conditional-writes.js';
import { keys } from './dynamo.js';

export class DynamoAgentCircuits implements AgentCircuits {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(customerId: string, agentId: string) {
    return { pk: keys.customer(customerId), sk: keys.agentCircuit(agentId) };
  }

  async getCircuit(customerId: string, agentId: string): Promise<Circuit> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: this.key(customerId, agentId) }));
    if (!Item) return { state: 'closed', failures: 0 };
    return {
      state: Item.circuit_state,
      failures: Item.failures ?? 0,
      ...(Item.opened_at ? { opened_at: Item.opened_at } : {}),
      ...(Item.trial_at ? { trial_at: Item.trial_at } : {}),
    };
  }

  async recordAgentFailure(customerId: string, agentId: string, threshold: number, at: string) {
    const counted = await updateIfReturning(this.db, {
      TableName: this.table,
      Key: this.key(customerId, agentId),
      UpdateExpression: 'ADD failures :one SET circuit_state = if_not_exists(circuit_state, :closed)',
      ExpressionAttributeValues: { ':one': 1, ':closed': 'closed' },
    });
    if (Number(counted?.failures ?? 0) < threshold) return 'counted';
    const previous = await updateIfReturning(this.db, {
      TableName: this.table,
      Key: this.key(customerId, agentId),
      UpdateExpression: 'SET circuit_state = :open, opened_at = :at REMOVE trial_at',
      ConditionExpression: 'circuit_state <> :open',
      ExpressionAttributeValues: { ':open': 'open', ':at': at },
    });
    if (!previous) return 'counted';
    // A failed trial reopens what was already open: that is not a new outage.
    return counted?.circuit_state === 'half_open' ? 'reopened' : 'opened';
  }

  async recordAgentSuccess(customerId: string, agentId: string) {
    const key = { TableName: this.table, Key: this.key(customerId, agentId) };
    // Closing is its own conditional write: of concurrent successes, one closes (and alerts).
    const closed = await updateIf(this.db, {
      ...key,
      UpdateExpression: 'SET failures = :zero, circuit_state = :closed REMOVE opened_at, trial_at',
      ConditionExpression: 'circuit_state IN (:open, :half)',
      ExpressionAttributeValues: { ':zero': 0, ':closed': 'closed', ':open': 'open', ':half': 'half_open' },
    });
    if (closed) return 'closed';
    // Nothing to write for an agent that never failed (the common case): no item, or closed at 0.
    await updateIf(this.db, {
      ...key,
      UpdateExpression: 'SET failures = :zero',
      ConditionExpression: 'failures > :zero AND circuit_state = :closed',
      ExpressionAttributeValues: { ':zero': 0, ':closed': 'closed' },
    });
    return 'unchanged';
  }

  async claimAgentTrial(customerId: string, agentId: string, coolDownEndedBy: string, at: string) {
    return updateIf(this.db, {
      TableName: this.table,
      Key: this.key(customerId, agentId),
      UpdateExpression: 'SET circuit_state = :half, trial_at = :at',
      ConditionExpression:
        '(circuit_state = :open AND opened_at <= :ended) OR (circuit_state = :half AND trial_at <= :ended)',
      ExpressionAttributeValues: { ':open': 'open', ':half': 'half_open', ':at': at, ':ended': coolDownEndedBy },
    });
  }
}
