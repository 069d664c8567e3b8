// Workflow task "Request approval" (.waitForTaskToken): receives the Payload of the ASL.
import { z } from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { requestApproval } from '../core/use-cases/request-approval.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  approval_id: Identifier,
  task_token: z.string().min(1),
});

export const handler = taskHandler(Input, (input) => requestApproval(input, runtime()));
