// Workflow tasks "Wait for dependencies" (a check: ready, waiting, or blocked by one that did not
// complete) and "Wait for a dependency to end" (with a task token: leaves waiters, answered when a
// dependency ends).
import { z } from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { awaitDependencies } from '../core/use-cases/await-dependencies.js';
import { checkDependencies } from '../core/use-cases/check-dependencies.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  task_token: z.string().min(1).max(1024).optional(),
});

export const handler = taskHandler(Input, ({ task_token, ...input }) =>
  task_token ? awaitDependencies({ ...input, task_token }, runtime()) : checkDependencies(input, runtime()),
);
