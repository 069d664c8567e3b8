// What the table's stores share: the document client, the table, the clock, and retention, which stamps the TTL
// of a recommendation's items when it ends.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../core/ports/clock.js';
import { Retention } from './retention.js';
import { systemClock } from './system-clock.js';

export abstract class TableStore {
  protected readonly retention: Retention;

  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
    protected readonly clock: Clock = systemClock,
  ) {
    this.retention = new Retention(db, table);
  }
}
