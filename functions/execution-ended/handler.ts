// EventBridge: "Step Functions Execution Status Change" for ABORTED, TIMED_OUT and FAILED executions
// of the recommendation workflow. The execution's own input says which recommendation it ran.
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { cleanUpEndedExecution } from '../core/use-cases/clean-up-ended-execution.js';
import { metrics } from '../shared/metrics.js';
import { notifier } from '../shared/notifier.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const ExecutionInput = z.object({ customer_id: Identifier, recommendation_id: Identifier });

const StatusChange = z
  .object({ detail: z.object({ name: z.string().min(1).max(80), status: z.string(), input: z.string() }) })
  .transform(({ detail }, ctx) => {
    const parsed = ExecutionInput.safeParse(JSON.parse(detail.input));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'the execution input names no recommendation' });
      return z.NEVER;
    }
    return { ...parsed.data, execution_name: detail.name, status: detail.status };
  });

const deps = once(() => ({ ...stores(), clock, ids, workflow, notifier }));

export const handler = taskHandler(StatusChange, async (ended) => {
  const cleaned = await cleanUpEndedExecution(ended, deps());
  // An execution that failed, timed out or was aborted with its plan under way: recorded as failed.
  if (cleaned.recorded) metrics.count('Executions', { dimension: 'failed' });
  return cleaned;
});
