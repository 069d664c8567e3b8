// Workflow tasks "Acquire resource locks" (locks, an execution slot, then the plan started: the
// cursor on its first step; or how long to wait when busy), "Wait for resources" (queues with a
// task token, woken when locks are released), "Release locks" (which wakes the waiting) and "Paused"
// (queues for the customer's resume with a task token).
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { acquireAndStart } from '../core/use-cases/acquire-locks.js';
import { awaitResources } from '../core/use-cases/await-resources.js';
import { awaitResume } from '../core/use-cases/execution-hold.js';
import { resourceLocks } from '../core/use-cases/resource-locks.js';
import { metrics } from '../shared/metrics.js';
import { clock, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  action: z.enum(['acquire', 'wait', 'release', 'await_resume']),
  execution_name: z.string().min(1).max(80),
  task_token: z.string().min(1).max(1024).optional(),
});

const deps = once(() => ({ ...stores(), clock, workflow, metrics }));

export const handler = taskHandler(Input, ({ task_token, ...input }) => {
  if (input.action === 'acquire') return acquireAndStart(input, deps());
  if (input.action === 'release') return resourceLocks({ ...input, action: 'release' }, deps());
  if (!task_token) throw new Error(`"${input.action}" passes its task token`);
  return input.action === 'wait'
    ? awaitResources({ ...input, task_token }, deps())
    : awaitResume({ ...input, task_token }, deps());
});
