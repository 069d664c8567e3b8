// Execution plans in the single table. Steps live in the plan item (a list), updated by index
// under a condition on the step's status, so a late or repeated report never overwrites a newer one.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExecutionPlan, HistoryEntry, PlanStep, StepStatus } from '../core/model.js';
import type { PlanStore, StatusChange, StoredPlan } from '../core/ports.js';
import { fromItem, keys, transactOrFalse } from './dynamo.js';
import { recommendationStatusUpdate } from './recommendation-store.js';

type Values = Record<string, unknown>;

const FINISHED = ['completed', 'failed', 'rolled_back', 'rollback_failed', 'cancelled'] as const;

export class DynamoPlanStore implements PlanStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getPlan(customerId: string, planId: string): Promise<StoredPlan | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: this.key(customerId, planId), ConsistentRead: true }));
    return result.Item ? fromItem<StoredPlan>(result.Item) : undefined;
  }

  async storeExecutionToken(customerId: string, planId: string, token: string): Promise<StoredPlan> {
    // A new token is a retried task: a signal sent to the old one reached nobody, so it may be sent again.
    const result = await this.update(customerId, planId, 'SET execution_token = :t REMOVE execution_signal_at', 'attribute_exists(pk)', { ':t': token });
    return result!;
  }

  async requestExecution(customerId: string, planId: string, recommendationId: string, now: string): Promise<boolean> {
    return transactOrFalse(this.db, [
      {
        Update: {
          TableName: this.table,
          Key: this.key(customerId, planId),
          UpdateExpression: 'SET execution_requested_at = :now',
          ConditionExpression: '#status = :pending AND attribute_not_exists(execution_requested_at)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':now': now, ':pending': 'pending' },
        },
      },
      {
        ConditionCheck: {
          TableName: this.table,
          Key: { pk: keys.customer(customerId), sk: keys.recommendation(recommendationId) },
          ConditionExpression: '#status = :approved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':approved': 'approved' },
        },
      },
    ]);
  }

  async claimExecutionSignal(customerId: string, planId: string, now: string): Promise<string | undefined> {
    const plan = await this.update(
      customerId,
      planId,
      'SET execution_signal_at = :now',
      'attribute_exists(execution_token) AND attribute_exists(execution_requested_at) AND attribute_not_exists(execution_signal_at)',
      { ':now': now },
    );
    return plan?.execution_token;
  }

  async startPlan(customerId: string, planId: string, recommendation: StatusChange): Promise<StoredPlan> {
    await transactOrFalse(this.db, [
      {
        Update: {
          TableName: this.table,
          Key: this.key(customerId, planId),
          UpdateExpression: 'SET #status = :running, started_at = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':pending': 'pending', ':at': recommendation.entry.at },
        },
      },
      recommendationStatusUpdate(this.table, customerId, recommendation),
    ]);
    // Started now or by an earlier attempt of this task: either way, the plan as it is.
    return (await this.getPlan(customerId, planId))!;
  }

  async updateStep(customerId: string, planId: string, index: number, fields: Partial<PlanStep>, expected: readonly StepStatus[]): Promise<StoredPlan | undefined> {
    const names: Record<string, string> = { '#steps': 'steps', '#status': 'status' };
    const values: Values = Object.fromEntries(expected.map((status, i) => [`:e${i}`, status]));
    const sets = Object.entries(fields).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#steps[${index}].#f${i} = :f${i}`;
    });
    sets.push('current_step = :index');
    values[':index'] = index;
    const condition = `#steps[${index}].#status IN (${expected.map((_, i) => `:e${i}`).join(', ')})`;
    return this.update(customerId, planId, `SET ${sets.join(', ')}`, condition, values, names);
  }

  async storeStepToken(customerId: string, planId: string, index: number, token: string): Promise<void> {
    await this.update(customerId, planId, `SET #steps[${index}].task_token = :t REMOVE #steps[${index}].signal_at`, 'attribute_exists(pk)', { ':t': token }, { '#steps': 'steps' });
  }

  async claimStepSignal(customerId: string, planId: string, index: number, now: string, token?: string): Promise<string | undefined> {
    const plan = await this.update(
      customerId,
      planId,
      `SET #steps[${index}].signal_at = :now`,
      `attribute_exists(#steps[${index}].task_token) AND attribute_not_exists(#steps[${index}].signal_at)${token ? ` AND #steps[${index}].task_token = :token` : ''}`,
      { ':now': now, ...(token ? { ':token': token } : {}) },
      { '#steps': 'steps' },
    );
    return plan?.steps[index]?.task_token;
  }

  async finishPlan(customerId: string, planId: string, fields: Partial<ExecutionPlan>, recommendation: StatusChange): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Values = Object.fromEntries(FINISHED.map((status, i) => [`:done${i}`, status]));
    const sets = Object.entries(fields).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    return transactOrFalse(this.db, [
      {
        Update: {
          TableName: this.table,
          Key: this.key(customerId, planId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          // Finished once: a retried "Record outcome" finds the plan finished and changes nothing.
          ConditionExpression: `NOT (#status IN (${FINISHED.map((_, i) => `:done${i}`).join(', ')}))`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      recommendationStatusUpdate(this.table, customerId, recommendation),
    ]);
  }

  async appendHistory(customerId: string, recommendationId: string, entry: HistoryEntry): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: keys.customer(customerId), sk: keys.recommendation(recommendationId) },
        UpdateExpression: 'SET #history = list_append(#history, :entry), updated_at = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#history': 'history' },
        ExpressionAttributeValues: { ':entry': [entry], ':at': entry.at },
      }),
    );
  }

  private key(customerId: string, planId: string) {
    return { pk: keys.customer(customerId), sk: keys.plan(planId) };
  }

  /** A conditional update of the plan; undefined when the condition did not hold. */
  private async update(customerId: string, planId: string, expression: string, condition: string, values: Values, names?: Record<string, string>): Promise<StoredPlan | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(customerId, planId),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(names ? { ExpressionAttributeNames: names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<StoredPlan>(result.Attributes!);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

}
