// Registering an approver: an API key bound to them and an email subscription that receives
// only the approval requests addressed to them.

import { issueKey } from '../access/api-keys.js';
import { StateConflict } from '../model/errors.js';
import type { KeyStore } from '../ports/access.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import type { ApproverStore } from '../ports/index.js';
import type { Notifier } from '../ports/notifier.js';
import { rotateKey } from './rotate-key.js';

export interface RegisteredApprover {
  /** True when the email was already an approver: same approver, a new key, the old keys revoked. */
  reissued: boolean;
  approver_id: string;
  customer_id: string;
  email: string;
  name?: string;
  key_id: string;
  api_key: string;
  subscription: string;
}

export async function registerApprover(
  input: { customer_id: string; email: string; name?: string },
  deps: { approvers: ApproverStore; keys: KeyStore; notifier: Notifier; clock: Clock; ids: IdGenerator },
): Promise<RegisteredApprover> {
  const { apiKey, issued } = issueKey('arb_approver_', deps.clock.now());
  const email = input.email.toLowerCase();
  const approver = {
    approver_id: deps.ids.next('apr_'),
    customer_id: input.customer_id,
    email,
    name: input.name,
    created_at: issued.created_at,
  };
  try {
    await deps.approvers.registerApprover(approver, issued);
  } catch (error) {
    if (error instanceof StateConflict) return reregister(input.customer_id, email, deps);
    throw error;
  }
  return {
    ...approver,
    reissued: false,
    key_id: issued.key_id,
    api_key: apiKey,
    subscription: await subscribe(approver, deps),
  };
}

/**
 * An approver who lost their key (or their subscription) is registered again: the same approver
 * (their votes and links stay theirs), a new key with the old ones revoked at once, subscribed anew.
 */
async function reregister(
  customerId: string,
  email: string,
  deps: { approvers: ApproverStore; keys: KeyStore; notifier: Notifier; clock: Clock },
): Promise<RegisteredApprover> {
  const approverId = await deps.approvers.approverIdByEmail(customerId, email);
  const existing = approverId ? await deps.approvers.findApprover(approverId) : undefined;
  if (!existing || existing.customer_id !== customerId)
    throw new StateConflict(`${email} is being registered by another request; try again`);
  const key = await rotateKey({ kind: 'approver', customer_id: customerId, id: existing.approver_id }, 0, deps);
  const subscription = await subscribe(existing, deps);
  return {
    approver_id: existing.approver_id,
    customer_id: customerId,
    email,
    name: existing.name,
    reissued: true,
    key_id: key.key_id,
    api_key: key.api_key,
    subscription,
  };
}

// Subscribed after the record exists: a failed subscribe leaves a registered approver who can
// still decide through the API, and registering them again re-subscribes them.
async function subscribe(
  approver: { customer_id: string; approver_id: string; email: string },
  deps: { approvers: ApproverStore; notifier: Notifier },
): Promise<string> {
  const subscription = await deps.notifier.subscribeApprover(approver.email);
  await deps.approvers.setSubscription(approver.customer_id, approver.approver_id, subscription);
  return subscription;
}
