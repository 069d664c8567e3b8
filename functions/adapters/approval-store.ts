// Approvals in the single table. Every change is conditional on what the caller read, so a vote,
// a close and the expiry each land exactly once.
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredApproval } from '../core/model/records.js';
import type { ApprovalStore, Page, StatusChange, VoteChange } from '../core/ports/index.js';
import { putIf, transactIf, updateIf, updateIfReturning } from './conditional-writes.js';
import { fromItem, keys, type TransactItem } from './dynamo.js';
import { decodePageToken, pageOf } from './page-token.js';
import { queryAll } from './paginate.js';
import { isLive } from './retention.js';
import { approvalClosing, historyAppend, recommendationStatusUpdate } from './status-updates.js';
import { TABLE_SCHEMA } from './table-schema.js';
import { TableStore } from './table-store.js';

/** A notice's record outlives the approval's expiry by a day: no notice about it is sent after that. */
const NOTICE_KEPT_SECONDS = 86_400;

export class DynamoApprovalStore extends TableStore implements ApprovalStore {
  async getApproval(customerId: string, approvalId: string): Promise<StoredApproval | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: this.key(customerId, approvalId), ConsistentRead: true }),
    );
    return result.Item && isLive(result.Item, this.clock.now()) ? fromItem<StoredApproval>(result.Item) : undefined;
  }

  listPending(customerId: string, now: string): Promise<StoredApproval[]> {
    return queryAll(this.db, {
      TableName: this.table,
      IndexName: 'gsi1',
      // gsi1sk starts with expires_at, so the ones not yet expired are a key range.
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk > :now',
      ExpressionAttributeValues: { ':p': keys.approvalsByStatus(customerId, 'pending'), ':now': now },
    });
  }

  async listPendingPage(
    customerId: string,
    now: string,
    query: { limit: number; next?: string },
  ): Promise<Page<StoredApproval>> {
    const partition = keys.approvalsByStatus(customerId, 'pending');
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk > :now',
        ExpressionAttributeValues: { ':p': partition, ':now': now },
        Limit: query.limit,
        ExclusiveStartKey: query.next
          ? decodePageToken(query.next, 'gsi1pk', partition, {
              pk: keys.customer(customerId),
              skPrefix: keys.approvalPrefix,
            })
          : undefined,
      }),
    );
    return pageOf<StoredApproval>(result, true);
  }

  async applyVote(change: VoteChange): Promise<boolean> {
    const { customerId, read, vote, now, close } = change;
    const closing = close ? Object.entries(close.approval) : [];
    const names: Record<string, string> = { '#status': 'status', '#votes': 'votes' };
    const values: Record<string, unknown> = {
      ':pending': 'pending',
      ':seen': read.votes.length,
      ':vote': [vote],
      ':now': now,
    };
    const sets = ['#votes = list_append(#votes, :vote)'];
    closing.forEach(([field, value], i) => {
      names[`#c${i}`] = field;
      values[`:c${i}`] = value;
      sets.push(`#c${i} = :c${i}`);
    });
    if (close) {
      sets.push('gsi1pk = :gsi1pk');
      values[':gsi1pk'] = keys.approvalsByStatus(customerId, close.approval.status!);
    }
    const approvalUpdate: TransactItem = {
      Update: {
        TableName: this.table,
        Key: this.key(customerId, read.id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#status = :pending AND size(#votes) = :seen AND expires_at > :now',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
    const items: TransactItem[] = [approvalUpdate];
    if (change.entry)
      items.push({ Update: historyAppend(this.table, customerId, read.recommendation_id, change.entry) });
    const ttl = close && (await this.retention.expiryOf(customerId, close.recommendation));
    if (close)
      items.push({
        Update: recommendationStatusUpdate(this.table, customerId, close.recommendation, {
          planId: close.plan?.id,
          ttl,
        }),
      });
    if (close?.plan) {
      items.push({
        Put: {
          TableName: this.table,
          Item: { pk: keys.customer(customerId), sk: keys.plan(close.plan.id), entity: 'plan', ...close.plan },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const applied = await transactIf(this.db, items);
    if (applied && ttl !== undefined) await this.retention.expireRelated(customerId, read.recommendation_id);
    return applied;
  }

  async closePending(
    customerId: string,
    approvalId: string,
    status: 'expired' | 'cancelled',
    recommendation: StatusChange | undefined,
    now: string,
  ): Promise<boolean> {
    const items: TransactItem[] = [
      { Update: approvalClosing(this.table, customerId, approvalId, { to: status, at: now }) },
    ];
    const ttl = recommendation && (await this.retention.expiryOf(customerId, recommendation));
    if (recommendation)
      items.push({ Update: recommendationStatusUpdate(this.table, customerId, recommendation, { ttl }) });
    const closed = await transactIf(this.db, items);
    if (closed && recommendation && ttl !== undefined)
      await this.retention.expireRelated(customerId, recommendation.id);
    return closed;
  }

  async storeTaskToken(customerId: string, approvalId: string, token: string): Promise<StoredApproval> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(customerId, approvalId),
        // A retried task brings a new token; a signal sent to the old one reached nobody.
        UpdateExpression: 'SET task_token = :token REMOVE signal_sent_at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':token': token },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem<StoredApproval>(result.Attributes!);
  }

  async claimSignal(customerId: string, approvalId: string, now: string): Promise<string | undefined> {
    const after = await updateIfReturning(this.db, {
      TableName: this.table,
      Key: this.key(customerId, approvalId),
      UpdateExpression: 'SET signal_sent_at = :now',
      ConditionExpression:
        'attribute_exists(task_token) AND attribute_not_exists(signal_sent_at) AND #status <> :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':now': now, ':pending': 'pending' },
    });
    return after?.task_token as string | undefined;
  }

  markNotified(customerId: string, approvalId: string, now: string): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.table,
      Key: this.key(customerId, approvalId),
      UpdateExpression: 'SET notified_at = :now',
      ConditionExpression: 'attribute_not_exists(notified_at)',
      ExpressionAttributeValues: { ':now': now },
    });
  }

  claimNotice(
    customerId: string,
    approval: Pick<StoredApproval, 'id' | 'expires_at'>,
    notice: string,
  ): Promise<boolean> {
    return putIf(this.db, {
      TableName: this.table,
      Item: {
        ...this.noticeKey(customerId, approval.id, notice),
        entity: 'approval_notice',
        [TABLE_SCHEMA.ttlAttribute]: Math.ceil(Date.parse(approval.expires_at) / 1000) + NOTICE_KEPT_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async noticeSent(customerId: string, approvalId: string, notice: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: this.noticeKey(customerId, approvalId, notice),
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async releaseNotice(customerId: string, approvalId: string, notice: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: this.noticeKey(customerId, approvalId, notice) }),
    );
  }

  private noticeKey(customerId: string, approvalId: string, notice: string) {
    return { pk: keys.customer(customerId), sk: keys.approvalNotice(approvalId, notice) };
  }

  private key(customerId: string, approvalId: string) {
    return { pk: keys.customer(customerId), sk: keys.approval(approvalId) };
  }
}
