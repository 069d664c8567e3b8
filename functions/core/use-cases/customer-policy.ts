// A customer's approval policy as admins read and set it. Setting it resumed (or never paused) wakes
// the plans waiting in "Paused" at once, not at their next look.
import { InvalidInput } from '../model/errors.js';
import type { PolicyInput } from '../model/inputs.js';
import type { PolicyStore } from '../ports/index.js';
import { type Policy, policyFrom } from '../rules/policy.js';
import { type ResumeDeps, wakePaused } from './execution-hold.js';

/** The policy in force (the defaults where none was set), and whether one was set. */
export type PolicyView = { customer_id: string } & Policy & { customized: boolean };

export async function viewPolicy(customerId: string, deps: { policies: PolicyStore }): Promise<PolicyView> {
  const stored = await deps.policies.getPolicy(customerId);
  return { customer_id: customerId, ...policyFrom(stored), customized: stored !== undefined };
}

/** The document GET returns is accepted: `customer_id` (if it names this customer) and `customized` are ignored. */
export type PolicyDocument = PolicyInput & { customer_id?: string; customized?: boolean };

export async function setPolicy(
  customerId: string,
  document: PolicyDocument,
  deps: { policies: PolicyStore } & Pick<ResumeDeps, 'lockWaiters' | 'workflow'>,
): Promise<{ policy: PolicyView; resumed: number }> {
  const { customer_id, customized: _readOnly, ...policy } = document;
  if (customer_id !== undefined && customer_id !== customerId)
    throw new InvalidInput('invalid body: customer_id', [
      { field: 'customer_id', message: `must be the customer in the path (${customerId}) or left out` },
    ]);
  await deps.policies.putPolicy(customerId, policy);
  const resumed = policy.paused ? 0 : await wakePaused(customerId, deps);
  return { policy: { customer_id: customerId, ...policyFrom(policy), customized: true }, resumed };
}
