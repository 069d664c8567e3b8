// Scheduled (EventBridge, every 5 minutes on AWS; the local stack at its start and every minute):
// repairs every recommendation whose workflow is not running (functions/core/use-cases/reconcile.ts).
import * as z from 'zod';
import { reconcile } from '../core/use-cases/reconcile.js';
import { notifier } from '../shared/notifier.js';
import { countRepairs } from '../shared/outcome-metrics.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

/** What changed this recently may still be starting its workflow (commit, then StartExecution). */
const DEFAULT_MIN_AGE_SECONDS = 120;

// A scheduled event carries EventBridge's fields; only min_age_seconds (the local stack's start) is ours.
const Input = z.looseObject({ min_age_seconds: z.number().int().min(0).max(86_400).default(DEFAULT_MIN_AGE_SECONDS) });

const deps = once(() => ({ ...stores(), clock, ids, workflow, notifier }));

export const handler = taskHandler(Input, async ({ min_age_seconds }) => {
  const repaired = await reconcile(deps(), { minAgeMs: min_age_seconds * 1000 });
  countRepairs(repaired);
  return { repaired };
});
