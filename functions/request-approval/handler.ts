// Workflow tasks "Request approval" (.waitForTaskToken) and "Remind approvers" (action "remind"):
// receive the Payload of the ASL. One function for both: a reminder is the request said again, with
// the same reads, the same SNS topic and the same link secret.
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { remindApprovers } from '../core/use-cases/remind-approvers.js';
import { requestApproval } from '../core/use-cases/request-approval.js';
import { publicUrl } from '../shared/agents.js';
import { linkSecret } from '../shared/link-secret.js';
import { notifier } from '../shared/notifier.js';
import { clock, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const Ids = {
  customer_id: Identifier,
  recommendation_id: Identifier,
  approval_id: Identifier,
};

const Input = z.union([
  z.object({ ...Ids, action: z.literal('remind') }),
  z.object({ ...Ids, action: z.literal('request').optional(), task_token: z.string().min(1) }),
]);

const deps = once(() => ({
  ...stores(),
  clock,
  workflow,
  notifier,
  linkSecret,
  get publicUrl() {
    return publicUrl();
  },
}));

export const handler = taskHandler(Input, (input) =>
  input.action === 'remind' ? remindApprovers(input, deps()) : requestApproval(input, deps()),
);
