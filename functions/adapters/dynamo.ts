// The DynamoDB document client and the key layout of the single table: every key is built by `keys`.
//   C#<customer> / R#<id>        recommendation   gsi1: C#<customer>#S#<status> / <created_at>#<id>
//   C#<customer> / A#<id>        approval         gsi1: C#<customer>#AS#<status> / <expires_at>#<id>
//   C#<customer> / P#<id>        execution plan;  P#<id>#S#<index, 3 digits>: a step's results
//   C#<customer> / POLICY        approval policy
//   C#<customer> / AG#<agent>    registered agent (endpoint, signing secret)
//   C#<customer> / AP#<id>       approver (email, subscription); APE#<email> keeps emails unique
//   C#<customer> / LOCK#coordinate   coordination lease
//   C#<customer> / LOCK#R#<resource> the execution holding a resource; RUNNING: the executions running
//   C#<customer> / WAIT#<dependency>#<dependent>        a dependent waiting on a dependency
//   C#<customer> / LOCKWAIT#<resource>#<recommendation> a plan waiting for a resource (or the slot queue)
//   C#<customer> / REPAIR#<recommendation>              how often the reconciler repaired its workflow
//   C#<customer> / X#<coordination>#<page, 5 digits>    a coordination's listed conflicts
//   K#<sha256 of key> / KEY      an issued API key → its principal
//   APPROVER#<id> / APPROVER     which customer an approver belongs to (review links name only the approver)
//   HEALTH / HEALTH              never written: the health check reads it
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localEndpoint } from './local-endpoint.js';

export function documentClient(options: { endpoint?: string } = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient(localEndpoint(options.endpoint));
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export const keys = {
  customer: (customerId: string) => `C#${customerId}`,
  /** Sort keys of a customer's recommendations start with it. */
  recommendationPrefix: 'R#',
  recommendation: (id: string) => `R#${id}`,
  /** Sort keys of a customer's approvals start with it. */
  approvalPrefix: 'A#',
  approval: (id: string) => `A#${id}`,
  plan: (id: string) => `P#${id}`,
  /** The items of a plan's step results: `planStepsOf(plan)` + the index. */
  planStepsOf: (planId: string) => `P#${planId}#S#`,
  planStep: (planId: string, index: number) => `P#${planId}#S#${String(index).padStart(3, '0')}`,
  policy: 'POLICY',
  agent: (agentId: string) => `AG#${agentId}`,
  approverPrefix: 'AP#',
  approver: (approverId: string) => `AP#${approverId}`,
  approverEmail: (email: string) => `APE#${email.toLowerCase()}`,
  /** The pointer from an approver to its customer (pk), under the sort key `approverPointer`. */
  approverById: (approverId: string) => `APPROVER#${approverId}`,
  approverPointer: 'APPROVER',
  coordinationLock: 'LOCK#coordinate',
  resourceLock: (resource: string) => `LOCK#R#${resource}`,
  runningExecutions: 'RUNNING',
  /** The running executions of one action, for the policy's action_limits. */
  runningAction: (action: string) => `RUNNING#A#${action}`,
  /** An agent's circuit breaker: its consecutive failures and whether it is open. */
  agentCircuit: (agentId: string) => `CIRCUIT#${agentId}`,
  dependencyWaitersOf: (dependencyId: string) => `WAIT#${dependencyId}#`,
  dependencyWaiter: (dependencyId: string, dependentId: string) => `WAIT#${dependencyId}#${dependentId}`,
  lockWaitersOf: (resource: string) => `LOCKWAIT#${resource}#`,
  lockWaiter: (resource: string, recommendationId: string) => `LOCKWAIT#${resource}#${recommendationId}`,
  repairs: (recommendationId: string) => `REPAIR#${recommendationId}`,
  /** A notice sent about an approval (a reminder round to one approver, the expiry's escalation). */
  approvalNotice: (approvalId: string, notice: string) => `NOTICE#${approvalId}#${notice}`,
  conflictPage: (coordinationId: string, page: number) => `X#${coordinationId}#${String(page).padStart(5, '0')}`,
  /** An issued key's item (pk), under the sort key `apiKeySort`. */
  apiKey: (hash: string) => `K#${hash}`,
  apiKeySort: 'KEY',
  health: 'HEALTH',
  recommendationsByStatus: (customerId: string, status: string) => `C#${customerId}#S#${status}`,
  /** gsi1's order within a status: oldest first. */
  recommendationOrder: (rec: { created_at: string; id: string }) => `${rec.created_at}#${rec.id}`,
  approvalsByStatus: (customerId: string, status: string) => `C#${customerId}#AS#${status}`,
  /** gsi1's order within a status: soonest expiry first, so the unexpired ones are a key range. */
  approvalOrder: (approval: { expires_at: string; id: string }) => `${approval.expires_at}#${approval.id}`,
};

/**
 * On an ended recommendation, the TTL its related items are still to get (retention.ts): set with its
 * own TTL, removed once they carry it. The reconciler finishes what a writer that died left undone.
 */
export const RELATED_TTL_PENDING = 'related_ttl_pending';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'ttl', 'entity', RELATED_TTL_PENDING];

/** The stored item without the table's own attributes. */
export function fromItem<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
