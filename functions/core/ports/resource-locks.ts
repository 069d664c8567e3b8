// The ResourceLocks port: resource locks and execution slots, all or nothing.

export type LockResult = { acquired: true } | { acquired: false; reason: string };

export interface ResourceLocks {
  /** All of the resources and one of the customer's execution slots, or none of them. Acquiring again as the same holder succeeds. */
  acquire(customerId: string, holder: string, resources: readonly string[], maxConcurrent: number): Promise<LockResult>;
  release(customerId: string, holder: string, resources: readonly string[]): Promise<void>;
}
