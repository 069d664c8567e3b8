// The one table definition. lib/ turns it into the CDK table; local/ creates the same table in
// DynamoDB Local from it. All keys are strings.
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Per-customer listings by status: recommendations (`C#<customer>#S#<status>`) and approvals. */
  indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  /**
   * Epoch seconds; DynamoDB deletes expired items by itself: coordination leases, retired keys, and ended
   * recommendations with their approvals and plans (retention.ts). Locally, local/ttl-sweeper.ts does it.
   */
  ttlAttribute: 'ttl',
} as const;
