// Workflow tasks "Run steps", "Step completed|failed", "Roll back completed steps", "Step rolled
// back", "Rollback step failed": record what happened, answer where the run goes next.
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { recordStep } from '../core/use-cases/record-step.js';
import { metrics } from '../shared/metrics.js';
import { notifier } from '../shared/notifier.js';
import { clock, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';

const Ids = { customer_id: Identifier, recommendation_id: Identifier };
const Index = z.number().int().min(0);
const MaxParallel = z.number().int().min(1).max(40);
const Json = z.record(z.string(), z.unknown());
const TaskError = z.object({ Error: z.string().optional(), Cause: z.string().optional() });
const Outcome = z.object({ result: Json.optional(), rollback_data: Json.nullable().optional() });

export const RecordStepInput = z.discriminatedUnion('event', [
  // acquire-locks starts the plan with the policy's max_parallel_steps: the schema must not drop it.
  z.object({ ...Ids, event: z.literal('start'), max_parallel: MaxParallel.optional() }),
  z.object({ ...Ids, event: z.literal('next'), max_parallel: MaxParallel }),
  z.object({ ...Ids, event: z.literal('completed'), step_index: Index, outcome: Outcome }),
  z.object({ ...Ids, event: z.literal('failed'), step_index: Index, error: TaskError }),
  z.object({ ...Ids, event: z.literal('plan_rollback') }),
  z.object({ ...Ids, event: z.literal('rolled_back'), step_index: Index, outcome: Outcome }),
  z.object({ ...Ids, event: z.literal('rollback_failed'), step_index: Index, error: TaskError }),
]);

// A step that timed out counts against its agent's circuit, which may open it (and alert the operators).
const deps = once(() => ({ ...stores(), clock, notifier, metrics }));

export const handler = taskHandler(RecordStepInput, (input) => recordStep(input, deps()));
