// Workflow tasks "Wait for dependencies" (a check: ready, waiting, or blocked by one that did not
// complete) and "Wait for a dependency to end" (with a task token: leaves waiters, answered when a
// dependency ends).
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { awaitDependencies } from '../core/use-cases/await-dependencies.js';
import { checkDependencies } from '../core/use-cases/check-dependencies.js';
import { metrics } from '../shared/metrics.js';
import { clock, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  task_token: z.string().min(1).max(1024).optional(),
});

const deps = once(() => ({ ...stores(), clock, workflow, metrics }));

export const handler = taskHandler(Input, ({ task_token, ...input }) =>
  task_token ? awaitDependencies({ ...input, task_token }, deps()) : checkDependencies(input, deps()),
);
