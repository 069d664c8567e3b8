// The one table definition. lib/ turns it into the CDK table; local/ creates the same table in
// DynamoDB Local from it. All keys are strings.
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Per-customer listings by status: recommendations (`C#<customer>#S#<status>`) and approvals. */
  indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  /** Epoch seconds; DynamoDB deletes expired lock items by itself. */
  ttlAttribute: 'ttl',
} as const;
