// Execution plans in the single table. Steps live in the plan item (a list), updated by index
// under a condition on the step's status, so a late or repeated report never overwrites a newer one.
// What a step brings back (result, rollback data, rollback result, error: up to 64 KiB each) lives
// in an item of its own, C#<customer> / P#<plan>#S#<index>, written in the same transaction: a plan
// of 50 steps with the largest results stays within DynamoDB's 400 KB per item.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionPlan, HistoryEntry, PlanStep, StepStatus, StoredPlan } from '../core/model/records.js';
import type { StatusChange } from '../core/ports/index.js';
import type { PlanStore } from '../core/ports/plans.js';
import { TransientError } from '../core/ports/workflow-contract.js';
import { FINISHED_PLAN_STATUSES } from '../core/rules/plan-progress.js';
import { conditionFailed, transact, transactIf, updateIf, updateIfReturning } from './conditional-writes.js';
import { fromItem, keys } from './dynamo.js';
import { queryAll, withPrefix } from './paginate.js';
import { isLive } from './retention.js';
import { historyAppend, recommendationStatusUpdate } from './status-updates.js';
import { TableStore } from './table-store.js';

type Values = Record<string, unknown>;

/** Step fields whose size the agent decides: kept out of the plan item. */
const DETAIL_FIELDS = ['result', 'rollback_data', 'rollback_result', 'error'] as const;
type Detail = Pick<PlanStep, (typeof DETAIL_FIELDS)[number]>;

function splitStep<T extends Partial<PlanStep>>(fields: T): { inline: Partial<PlanStep>; detail: Detail } {
  const inline: Partial<PlanStep> = { ...fields };
  const detail: Detail = {};
  for (const field of DETAIL_FIELDS) {
    if (field in inline) Object.assign(detail, { [field]: inline[field] });
    delete inline[field];
  }
  return { inline, detail };
}

export class DynamoPlanStore extends TableStore implements PlanStore {
  /** The plan with each step's results merged back in, as the API shows it. */
  async getPlan(
    customerId: string,
    planId: string,
    options: { results?: boolean } = {},
  ): Promise<StoredPlan | undefined> {
    const [result, details] = await Promise.all([
      this.db.send(new GetCommand({ TableName: this.table, Key: this.key(customerId, planId), ConsistentRead: true })),
      options.results === false ? new Map<number, Detail>() : this.stepDetails(customerId, planId),
    ]);
    if (!result.Item || !isLive(result.Item, this.clock.now())) return undefined;
    const plan = fromItem<StoredPlan>(result.Item);
    return { ...plan, steps: plan.steps.map((step) => ({ ...step, ...details.get(step.index) })) };
  }

  private async stepDetails(customerId: string, planId: string): Promise<Map<number, Detail>> {
    const details = new Map<number, Detail>();
    const query = withPrefix(this.table, keys.customer(customerId), keys.planStepsOf(planId));
    for (const { step_index, ...detail } of await queryAll<Detail & { step_index: number }>(this.db, query))
      details.set(step_index, detail);
    return details;
  }

  async storeExecutionToken(customerId: string, planId: string, token: string): Promise<StoredPlan> {
    // A new token is a retried task: a signal sent to the old one reached nobody, so it may be sent again.
    const result = await this.update(
      customerId,
      planId,
      'SET execution_token = :t REMOVE execution_signal_at',
      'attribute_exists(pk)',
      { ':t': token },
    );
    return result!;
  }

  async requestExecution(customerId: string, planId: string, recommendationId: string, now: string): Promise<boolean> {
    return transactIf(this.db, [
      {
        Update: {
          TableName: this.table,
          Key: this.key(customerId, planId),
          UpdateExpression: 'SET execution_requested_at = :now',
          ConditionExpression:
            '#status = :pending AND attribute_not_exists(execution_requested_at) AND attribute_not_exists(expired_at)',
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
    await transactIf(this.db, [
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
      { Update: recommendationStatusUpdate(this.table, customerId, recommendation) },
    ]);
    // Started now or by an earlier attempt of this task: either way, the plan as it is.
    return (await this.getPlan(customerId, planId))!;
  }

  async updateStep(
    customerId: string,
    planId: string,
    index: number,
    fields: Partial<PlanStep>,
    expected: readonly StepStatus[],
  ): Promise<StoredPlan | undefined> {
    const { inline, detail } = splitStep(fields);
    if (Object.keys(detail).length === 0) return this.updateInline(customerId, planId, index, inline, expected);
    const update = this.stepUpdate(index, inline, expected);
    const detailNames = Object.keys(detail).map((_, i) => `#d${i}`);
    const cancelled = await transact(this.db, [
      { Update: { TableName: this.table, Key: this.key(customerId, planId), ...update } },
      {
        Update: {
          TableName: this.table,
          Key: { pk: keys.customer(customerId), sk: keys.planStep(planId, index) },
          UpdateExpression: `SET entity = :entity, step_index = :index, ${detailNames.map((name, i) => `${name} = :d${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(Object.keys(detail).map((field, i) => [detailNames[i], field])),
          ExpressionAttributeValues: {
            ':entity': 'plan_step',
            ':index': index,
            ...Object.fromEntries(Object.values(detail).map((value, i) => [`:d${i}`, value])),
          },
        },
      },
    ]);
    if (cancelled && conditionFailed(cancelled, 0)) return undefined;
    // Lost a race with another writer (not a failed condition): worth retrying.
    if (cancelled) throw new TransientError(`step ${index} of plan ${planId}: ${cancelled.message}`);
    return this.getPlan(customerId, planId, { results: false });
  }

  private async updateInline(
    customerId: string,
    planId: string,
    index: number,
    fields: Partial<PlanStep>,
    expected: readonly StepStatus[],
  ): Promise<StoredPlan | undefined> {
    const update = this.stepUpdate(index, fields, expected);
    return this.update(
      customerId,
      planId,
      update.UpdateExpression,
      update.ConditionExpression,
      update.ExpressionAttributeValues,
      update.ExpressionAttributeNames,
    );
  }

  /** SET the step's fields (and current_step) if the step is in one of `expected`. */
  private stepUpdate(index: number, fields: Partial<PlanStep>, expected: readonly StepStatus[]) {
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
    return {
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
      ExpressionAttributeNames: names,
    };
  }

  async storeStepToken(customerId: string, planId: string, index: number, token: string): Promise<void> {
    await this.update(
      customerId,
      planId,
      `SET #steps[${index}].task_token = :t REMOVE #steps[${index}].signal_at`,
      'attribute_exists(pk)',
      { ':t': token },
      { '#steps': 'steps' },
    );
  }

  async claimStepSignal(
    customerId: string,
    planId: string,
    index: number,
    now: string,
    token?: string,
  ): Promise<string | undefined> {
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

  async finishPlan(
    customerId: string,
    planId: string,
    fields: Partial<ExecutionPlan>,
    recommendation: StatusChange,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Values = Object.fromEntries(FINISHED_PLAN_STATUSES.map((status, i) => [`:done${i}`, status]));
    // The steps' results stay in their own items.
    const inline = fields.steps
      ? { ...fields, steps: fields.steps.map((step) => splitStep(step).inline as PlanStep) }
      : fields;
    const sets = Object.entries(inline).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    const ttl = await this.retention.expiryOf(customerId, recommendation);
    const finished = await transactIf(this.db, [
      {
        Update: {
          TableName: this.table,
          Key: this.key(customerId, planId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          // Finished once: a retried "Record outcome" finds the plan finished and changes nothing.
          ConditionExpression: `NOT (#status IN (${FINISHED_PLAN_STATUSES.map((_, i) => `:done${i}`).join(', ')}))`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      { Update: recommendationStatusUpdate(this.table, customerId, recommendation, { ttl }) },
    ]);
    // Also when a retried "Record outcome" finds it finished: the first attempt may have stopped before this.
    if (ttl !== undefined) await this.retention.expireRelated(customerId, recommendation.id);
    return finished;
  }

  async passLastStep(customerId: string, recommendationId: string, at: string): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.table,
      Key: { pk: keys.customer(customerId), sk: keys.recommendation(recommendationId) },
      UpdateExpression: 'SET last_step_passed_at = if_not_exists(last_step_passed_at, :at)',
      ConditionExpression: '#status = :executing AND attribute_not_exists(cancel_requested)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':at': at, ':executing': 'executing' },
    });
  }

  async appendHistory(customerId: string, recommendationId: string, entry: HistoryEntry): Promise<void> {
    await this.db.send(new UpdateCommand(historyAppend(this.table, customerId, recommendationId, entry)));
  }

  async claimExpiry(customerId: string, planId: string, at: string): Promise<StoredPlan | undefined> {
    return this.update(
      customerId,
      planId,
      'SET expired_at = :at',
      '#status = :pending AND attribute_not_exists(execution_requested_at) AND attribute_not_exists(expired_at)',
      { ':at': at, ':pending': 'pending' },
      { '#status': 'status' },
    );
  }

  async cancelUnstarted(customerId: string, planId: string, steps: StoredPlan['steps'], at: string): Promise<boolean> {
    const inline = steps.map((step) => splitStep(step).inline);
    const plan = await this.update(
      customerId,
      planId,
      'SET #status = :cancelled, completed_at = :at, steps = :steps',
      '#status = :pending',
      { ':cancelled': 'cancelled', ':pending': 'pending', ':at': at, ':steps': inline },
      { '#status': 'status' },
    );
    return plan !== undefined;
  }

  async markInterrupted(customerId: string, planId: string, at: string): Promise<boolean> {
    const plan = await this.update(
      customerId,
      planId,
      'SET interrupted_at = :at',
      '#status = :running',
      { ':at': at, ':running': 'running' },
      { '#status': 'status' },
    );
    return plan !== undefined;
  }

  private key(customerId: string, planId: string) {
    return { pk: keys.customer(customerId), sk: keys.plan(planId) };
  }

  /** A conditional update of the plan; undefined when the condition did not hold. */
  private async update(
    customerId: string,
    planId: string,
    expression: string,
    condition: string,
    values: Values,
    names?: Record<string, string>,
  ): Promise<StoredPlan | undefined> {
    const after = await updateIfReturning(this.db, {
      TableName: this.table,
      Key: this.key(customerId, planId),
      UpdateExpression: expression,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
      ...(names ? { ExpressionAttributeNames: names } : {}),
    });
    return after && fromItem<StoredPlan>(after);
  }
}
