// The DependencyWaiters port: who waits on which dependency, with which task token.

export interface DependencyWaiter {
  dependency_id: string;
  dependent_id: string;
  task_token: string;
}

export interface DependencyWaiters {
  /** Records that `dependent` waits on `dependency` with this token (replacing an older token). */
  add(customerId: string, waiter: DependencyWaiter): Promise<void>;
  /** Everyone waiting on `dependencyId`. */
  waitingOn(customerId: string, dependencyId: string): Promise<DependencyWaiter[]>;
  /** Removes the waiter if it still holds this token: true for exactly one caller. */
  claim(customerId: string, waiter: DependencyWaiter): Promise<boolean>;
}
