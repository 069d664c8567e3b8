// Workflow task "Request approval" (.waitForTaskToken): receives the Payload of the ASL.
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { requestApproval } from '../core/use-cases/request-approval.js';
import { publicUrl } from '../shared/agents.js';
import { linkSecret } from '../shared/link-secret.js';
import { notifier } from '../shared/notifier.js';
import { clock, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  approval_id: Identifier,
  task_token: z.string().min(1),
});

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

export const handler = taskHandler(Input, (input) => requestApproval(input, deps()));
