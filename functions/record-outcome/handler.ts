// Workflow tasks "Record rejection|supersession|expiry" and "Record outcome": receive the Payload of the ASL.
import { z } from 'zod';
import { recordOutcome } from '../core/outcomes.js';
import { Identifier } from '../core/schemas.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  approval_id: Identifier.nullable(),
  outcome: z.enum(['rejected', 'superseded', 'expired', 'approval_failed', 'completed', 'failed', 'rolled_back', 'cancelled']),
});

export const handler = taskHandler(Input, (input) => recordOutcome(input, runtime()));
