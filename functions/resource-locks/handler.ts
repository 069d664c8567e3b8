// Workflow tasks "Acquire resource locks" and "Release locks".
import { z } from 'zod';
import { resourceLocks } from '../core/execution-gate.js';
import { Identifier } from '../core/schemas.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({ customer_id: Identifier, recommendation_id: Identifier, action: z.enum(['acquire', 'release']), execution_name: z.string().min(1).max(80) });

export const handler = taskHandler(Input, (input) => resourceLocks(input, runtime()));
