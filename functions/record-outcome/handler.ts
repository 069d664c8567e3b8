// Workflow tasks "Record rejection|supersession|expiry": receive the Payload of the ASL.
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { recordOutcome } from '../core/outcomes.js';
import { Identifier } from '../core/schemas.js';
import { runtime } from '../shared/runtime.js';
import { taskHandler } from '../shared/task.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  approval_id: Identifier.nullable(),
  outcome: z.enum(['rejected', 'superseded', 'expired']),
});

export const handler: (event: unknown, context: Context) => Promise<unknown> = taskHandler(Input, (input) => recordOutcome(input, runtime()));
