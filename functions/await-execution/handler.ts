// Workflow task "Wait for execution request" (.waitForTaskToken).
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { awaitExecution } from '../core/use-cases/await-execution.js';
import { clock, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const Input = z.object({ customer_id: Identifier, recommendation_id: Identifier, task_token: z.string().min(1) });

const deps = once(() => ({ ...stores(), clock, workflow }));

export const handler = taskHandler(Input, (input) => awaitExecution(input, deps()));
