// Workflow task "Request approval" (.waitForTaskToken): receives the Payload of the ASL.
import type { Context } from 'aws-lambda';
import { requestApproval } from '../core/approval-request.js';
import { env } from '../shared/env.js';
import { taskHandler } from '../shared/task.js';
import { runtime } from '../shared/runtime.js';
import { z } from 'zod';
import { Identifier } from '../core/schemas.js';

const Input = z.object({ customer_id: Identifier, recommendation_id: Identifier, approval_id: Identifier, task_token: z.string().min(1) });

export const handler: (event: unknown, context: Context) => Promise<unknown> = taskHandler(Input, async (input) => {
  const rt = runtime();
  const publicUrl = env().PUBLIC_API_URL;
  if (!publicUrl) throw new Error('this function is not configured with PUBLIC_API_URL');
  return requestApproval(input, { ...rt, publicUrl });
});
