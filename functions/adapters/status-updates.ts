// The conditional updates that several stores write, alone or within their own transactions: a
// recommendation's status change, an entry in its history, an approval closing while still pending.
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry } from '../core/model/records.js';
import { isActive } from '../core/model/statuses.js';
import type { StatusChange } from '../core/ports/coordination.js';
import { keys, RELATED_TTL_PENDING } from './dynamo.js';
import { TABLE_SCHEMA } from './table-schema.js';

type Update = UpdateCommandInput;

/** An entry appended to a recommendation's history without changing its status (a vote short of the quorum). */
export function historyAppend(table: string, customerId: string, recommendationId: string, entry: HistoryEntry) {
  return {
    TableName: table,
    Key: { pk: keys.customer(customerId), sk: keys.recommendation(recommendationId) },
    UpdateExpression: 'SET #history = list_append(#history, :entry), updated_at = :at',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#history': 'history' },
    ExpressionAttributeValues: { ':entry': [entry], ':at': entry.at },
  } satisfies Update;
}

/**
 * A recommendation's status change, applied only if it is still in `change.from`; appends to its history.
 * A terminal change stamps `ttl` (retention.ts: `expiryOf`); an active one removes any, so a revived
 * recommendation is kept again.
 */
export function recommendationStatusUpdate(
  table: string,
  customerId: string,
  change: StatusChange,
  options: { planId?: string; ttl?: number } = {},
) {
  const { planId, ttl } = options;
  const values: Record<string, unknown> = {
    ':to': change.to,
    ':reason': change.entry.reason,
    ':at': change.entry.at,
    ':gsi1pk': keys.recommendationsByStatus(customerId, change.to),
    ':entry': [change.entry],
    ':none': [],
    ':conflicts': change.conflicts ?? [],
  };
  const fromStatuses = [change.from].flat();
  let update =
    'SET #status = :to, status_reason = :reason, updated_at = :at, gsi1pk = :gsi1pk, #history = list_append(#history, :entry), conflicts = list_append(if_not_exists(conflicts, :none), :conflicts)';
  if (change.conflicts_total !== undefined) {
    update += ', conflicts_total = :total, conflicts_truncated = :truncated';
    values[':total'] = change.conflicts_total;
    values[':truncated'] = change.conflicts_truncated ?? false;
  }
  if (change.resolved_by) {
    update += ', resolved_by = :by';
    values[':by'] = change.resolved_by;
  }
  if (planId ?? change.plan_id) {
    update += ', plan_id = :plan';
    values[':plan'] = planId ?? change.plan_id;
  }
  if (change.approval_id) {
    update += ', approval_id = :approval';
    values[':approval'] = change.approval_id;
  }
  if (ttl !== undefined && !isActive(change.to)) {
    // Until its related items carry the same TTL (retention.ts: expireRelated), which the reconciler
    // finishes if the writer died before it did.
    update += `, #ttl = :ttl, ${RELATED_TTL_PENDING} = :ttl`;
    values[':ttl'] = ttl;
  }
  const removes = [
    ...(change.clear_resolved_by ? ['resolved_by'] : []),
    ...(isActive(change.to) ? ['#ttl', RELATED_TTL_PENDING] : []),
  ];
  if (removes.length > 0) update += ` REMOVE ${removes.join(', ')}`;
  const usesTtl = update.includes('#ttl');
  return {
    TableName: table,
    Key: { pk: keys.customer(customerId), sk: keys.recommendation(change.id) },
    UpdateExpression: update,
    ConditionExpression: `#status IN (${fromStatuses.map((_, i) => `:from${i}`).join(', ')})`,
    ExpressionAttributeNames: {
      '#status': 'status',
      '#history': 'history',
      ...(usesTtl ? { '#ttl': TABLE_SCHEMA.ttlAttribute } : {}),
    },
    ExpressionAttributeValues: {
      ...values,
      ...Object.fromEntries(fromStatuses.map((status, i) => [`:from${i}`, status])),
    },
  } satisfies Update;
}

/**
 * A pending approval closed without a decision (expired, or cancelled: withdrawn because its
 * recommendation was superseded or cancelled), with the reason when there is one; only if still pending.
 */
export function approvalClosing(
  table: string,
  customerId: string,
  approvalId: string,
  close: { to: 'expired' | 'cancelled'; at: string; reason?: string },
) {
  return {
    TableName: table,
    Key: { pk: keys.customer(customerId), sk: keys.approval(approvalId) },
    UpdateExpression: `SET #status = :to, gsi1pk = :gsi1pk, closed_at = :at${close.reason === undefined ? '' : ', closed_reason = :reason'}`,
    ConditionExpression: '#status = :pending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':to': close.to,
      ':pending': 'pending',
      ':at': close.at,
      ':gsi1pk': keys.approvalsByStatus(customerId, close.to),
      ...(close.reason === undefined ? {} : { ':reason': close.reason }),
    },
  } satisfies Update;
}
