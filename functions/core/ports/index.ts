// Every port of the core: what it needs from the outside world, one concern a file in this folder,
// all re-exported here. Adapters implement them on DynamoDB and AWS; tests pass in-memory or local ones.

export * from './access.js';
export * from './agent-client.js';
export * from './clock.js';
export * from './coordination.js';
export * from './dependency-waiters.js';
export * from './ids.js';
export * from './lock-waiters.js';
export * from './metric-names.js';
export * from './metrics.js';
export * from './notifier.js';
export * from './plans.js';
export * from './reconcile.js';
export * from './resource-locks.js';
export * from './workflow.js';
export * from './workflow-contract.js';
