// In-memory ports for use-case unit tests: just enough of each store to run a use case, counting the
// reads and leases the tests assert on. (Database behaviour itself is tested against DynamoDB Local.)

import type * as z from 'zod';
import { PolicyInput } from '../../functions/core/model/inputs.js';
import type { Recommendation, StoredApproval } from '../../functions/core/model/records.js';
import { isActive, type RecommendationStatus } from '../../functions/core/model/statuses.js';
import type { Circuit } from '../../functions/core/ports/agent-circuits.js';
import type { Clock } from '../../functions/core/ports/clock.js';
import type { CoordinationChange, StatusChange } from '../../functions/core/ports/index.js';
import type { LockWaiter } from '../../functions/core/ports/lock-waiters.js';
import { NOW, recommendationInput } from './fixtures.js';

export const CUSTOMER = 'customer-1';

export const fixedClock = (now: Date = NOW): Clock => ({ now: () => now });

/** A stored recommendation with sensible defaults. */
export function storedRec(id: string, status: RecommendationStatus, fields: Partial<Recommendation> = {}) {
  const at = NOW.toISOString();
  const rec: Recommendation = {
    ...recommendationInput({ id }),
    customer_id: CUSTOMER,
    status,
    status_reason: '',
    coordination_id: 'coord_1',
    execute_now: false,
    conflicts: [],
    created_at: at,
    updated_at: at,
    history: [{ status, reason: 'stored', at }],
    ...fields,
  };
  return rec;
}

/** A pending approval of rec-1, requested an hour ago, that expires in `hoursLeft`. */
export function pendingApproval(required = 1, hoursLeft = 1): StoredApproval {
  const hour = 3600_000;
  return {
    id: 'apr_1',
    recommendation_id: 'rec-1',
    customer_id: CUSTOMER,
    risk_level: 'high',
    status: 'pending',
    requested_by: 'coordinator',
    requested_at: new Date(NOW.getTime() - hour).toISOString(),
    expires_at: new Date(NOW.getTime() + hoursLeft * hour).toISOString(),
    approvals_required: required,
    votes: [],
  };
}

/** The recommendations of one customer; counts reads and leases. */
export function memoryRecommendations(recs: Recommendation[]) {
  const byId = new Map(recs.map((r) => [r.id, r]));
  const calls = { getRecommendations: 0, listActive: 0, lockCustomer: 0, saved: [] as CoordinationChange[] };
  const apply = (change: StatusChange) => {
    const rec = byId.get(change.id);
    if (!rec || rec.status !== change.from) return false;
    byId.set(change.id, { ...rec, status: change.to, history: [...rec.history, change.entry] });
    return true;
  };
  return {
    calls,
    byId,
    async getRecommendations(_customerId: string, ids: readonly string[]) {
      calls.getRecommendations += 1;
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async listActive(_customerId: string) {
      calls.listActive += 1;
      return [...byId.values()].filter((r) => isActive(r.status));
    },
    async listBeatenBy(_customerId: string, winnerId: string) {
      return [...byId.values()].filter((r) => r.resolved_by === winnerId);
    },
    async lockCustomer(_customerId: string) {
      calls.lockCustomer += 1;
      return async () => {};
    },
    async saveCoordination(change: CoordinationChange) {
      calls.saved.push(change);
      for (const c of change.changed) apply(c);
    },
    async changeStatus(_customerId: string, change: StatusChange) {
      return apply(change);
    },
  };
}

/** One customer's stored policy (or none), as the schema completes it; counts reads. */
export function memoryPolicies(stored?: z.input<typeof PolicyInput>) {
  const calls = { getPolicy: 0, putPolicy: [] as PolicyInput[] };
  let policy = stored ? PolicyInput.parse(stored) : undefined;
  return {
    calls,
    async getPolicy(_customerId: string) {
      calls.getPolicy += 1;
      return policy;
    },
    async putPolicy(_customerId: string, next: PolicyInput) {
      calls.putPolicy.push(next);
      policy = next;
    },
  };
}

/** Approvals by id; a vote applies when the approval is unchanged since it was read. */
export function memoryApprovals(approvals: StoredApproval[]) {
  const byId = new Map(approvals.map((a) => [a.id, a]));
  return {
    byId,
    async getApproval(_customerId: string, id: string) {
      return byId.get(id);
    },
    async applyVote(change: {
      read: StoredApproval;
      vote: StoredApproval['votes'][number];
      close?: { approval: object };
    }) {
      const now = byId.get(change.read.id);
      if (now !== change.read) return false;
      byId.set(now.id, { ...now, ...(change.close?.approval ?? {}), votes: [...now.votes, change.vote] });
      return true;
    },
    // No task token stored yet: the "Request approval" task signals when it arrives.
    async claimSignal() {
      return undefined;
    },
  };
}

/** Circuits by agent; the trial goes to whoever asks first while `trials` allows. */
export function memoryCircuits(circuits: Record<string, Circuit>, trials = true) {
  return {
    async getAgent() {
      return undefined;
    },
    async getCircuit(_customerId: string, agentId: string): Promise<Circuit> {
      return circuits[agentId] ?? { state: 'closed', failures: 0 };
    },
    async recordAgentFailure() {
      return 'counted' as const;
    },
    async recordAgentSuccess() {
      return 'unchanged' as const;
    },
    async claimAgentTrial() {
      return trials;
    },
  };
}

/** Paused plans waiting for the resume, and the tokens completed. */
export function memoryPauseQueue(waiters: LockWaiter[]) {
  const completed: string[] = [];
  const queue = [...waiters];
  return {
    completed,
    lockWaiters: {
      async add(_customerId: string, waiter: LockWaiter) {
        queue.push(waiter);
      },
      async queue(_customerId: string, resource: string) {
        return queue.filter((w) => w.resource === resource);
      },
      async claim(_customerId: string, waiter: LockWaiter) {
        const i = queue.indexOf(waiter);
        if (i < 0) return false;
        queue.splice(i, 1);
        return true;
      },
      async leave() {},
    },
    workflow: {
      async start() {},
      async completeTask(token: string) {
        completed.push(token);
        return 'sent' as const;
      },
      async failTask() {
        return 'sent' as const;
      },
      async stop() {},
    },
  };
}
