// Registering an approver: an API key bound to them and an email subscription that receives
// only the approval requests addressed to them.
import { hashKey, newSecret } from './access.js';
import type { Notifier } from './notifications.js';
import type { ApproverStore, Clock, IdGenerator } from './ports.js';

export interface RegisteredApprover {
  approver_id: string;
  customer_id: string;
  email: string;
  name?: string;
  api_key: string;
  subscription: string;
}

export async function registerApprover(
  input: { customer_id: string; email: string; name?: string },
  deps: { approvers: ApproverStore; notifier: Notifier; clock: Clock; ids: IdGenerator },
): Promise<RegisteredApprover> {
  const apiKey = newSecret('arb_approver_');
  const approver = { approver_id: deps.ids.next('apr_'), customer_id: input.customer_id, email: input.email.toLowerCase(), name: input.name, created_at: deps.clock.now().toISOString() };
  await deps.approvers.registerApprover(approver, hashKey(apiKey));
  // Subscribed after the record exists: a failed subscribe leaves a registered approver who can
  // still decide through the API, and re-subscribing is a support action, not a lost approver.
  const subscription = await deps.notifier.subscribeApprover(approver.email);
  await deps.approvers.setSubscription(approver.customer_id, approver.approver_id, subscription);
  return { ...approver, api_key: apiKey, subscription };
}
