// Workflow task "Wait for dependencies": ready, waiting, or blocked by one that did not complete.
import { z } from 'zod';
import { checkDependencies } from '../core/execution-gate.js';
import { Identifier } from '../core/schemas.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({ customer_id: Identifier, recommendation_id: Identifier });

export const handler = taskHandler(Input, (input) => checkDependencies(input, runtime()));
