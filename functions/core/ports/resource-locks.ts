// The ResourceLocks port: resource locks and execution slots, all or nothing.

export type LockResult = { acquired: true } | { acquired: false; reason: string };

/** A slot of the policy's action_limits: at most `limit` executions of `action` at once. */
export interface ActionSlot {
  action: string;
  limit: number;
}

export interface ResourceLocks {
  /**
   * All of the resources, one of the customer's execution slots and (when the action is limited) one
   * of the action's slots, or none of them. Acquiring again as the same holder succeeds.
   */
  acquire(
    customerId: string,
    holder: string,
    resources: readonly string[],
    maxConcurrent: number,
    actionSlot?: ActionSlot,
  ): Promise<LockResult>;
  /** Frees the resources, the execution slot and the slot of `action` (whether or not it was limited). */
  release(customerId: string, holder: string, resources: readonly string[], action?: string): Promise<void>;
}
