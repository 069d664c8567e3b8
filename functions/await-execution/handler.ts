// Workflow task "Wait for execution request" (.waitForTaskToken).
import { z } from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { awaitExecution } from '../core/use-cases/await-execution.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({ customer_id: Identifier, recommendation_id: Identifier, task_token: z.string().min(1) });

export const handler = taskHandler(Input, (input) => awaitExecution(input, runtime()));
