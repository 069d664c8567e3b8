// Workflow tasks "Run step" and "Roll back step" (.waitForTaskToken): a signed POST to the agent.
import { z } from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { dispatchStep } from '../core/use-cases/dispatch-step.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  mode: z.enum(['execute', 'rollback']),
  step_index: z.number().int().min(0),
  task_token: z.string().min(1),
});

export const handler = taskHandler(Input, (input) => dispatchStep(input, runtime()));
