// Workflow tasks "Acquire resource locks" (locks, an execution slot, then the plan started: the
// cursor on its first step) and "Release locks".
import { z } from 'zod';
import { resourceLocks } from '../core/execution-gate.js';
import { Identifier } from '../core/schemas.js';
import { acquireAndStart } from '../core/step-runner.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({ customer_id: Identifier, recommendation_id: Identifier, action: z.enum(['acquire', 'release']), execution_name: z.string().min(1).max(80) });

export const handler = taskHandler(Input, (input) => (input.action === 'acquire' ? acquireAndStart(input, runtime()) : resourceLocks(input, runtime())));
