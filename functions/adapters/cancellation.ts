// A cancel request on an executing recommendation: a mark on its item, read by the workflow's tasks at
// the next step boundary (no further step is dispatched; the completed reversible ones are rolled back).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CancelRequest } from '../core/model/records.js';
import type { CancelRequests } from '../core/use-cases/cancel-recommendation.js';
import { updateIf } from './conditional-writes.js';
import { keys } from './dynamo.js';

export class DynamoCancelRequests implements CancelRequests {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async requestCancel(customerId: string, recommendationId: string, request: CancelRequest): Promise<boolean> {
    const entry = {
      status: 'executing',
      reason: `cancel requested by ${request.by}: ${request.reason}`,
      at: request.at,
    };
    return updateIf(this.db, {
      TableName: this.table,
      Key: { pk: keys.customer(customerId), sk: keys.recommendation(recommendationId) },
      // The first request counts: a second one changes nothing (the run is already winding down). Once
      // the run passed its last step (last_step_passed_at, plan-store.ts) it finishes as completed: refused.
      UpdateExpression: 'SET cancel_requested = :request, #history = list_append(#history, :entry), updated_at = :at',
      ConditionExpression:
        '#status = :executing AND attribute_not_exists(cancel_requested) AND attribute_not_exists(last_step_passed_at)',
      ExpressionAttributeNames: { '#status': 'status', '#history': 'history' },
      ExpressionAttributeValues: {
        ':request': request,
        ':entry': [entry],
        ':executing': 'executing',
        ':at': request.at,
      },
    });
  }
}
