// The workflow contract: what statemachines/recommendation.asl.json refers to by name.

// The workflow's ASL matches these names: it retries StepTransientError and catches anything else
// as a failed step. Renaming either silently changes what is retried.

/**
 * The agent refused the step or answered something unusable (4xx, a redirect, a malformed report):
 * the same request would fail again. A 200 report with status `failed` is not this: it is a report.
 */
export class StepFailed extends Error {
  override name = 'StepFailed';
}

/** The agent could not answer now (5xx, 429, unreachable, too slow): worth retrying. */
export class StepTransientError extends Error {
  override name = 'StepTransientError';
}

export class ResourceBusy extends Error {
  override name = 'ResourceBusy';
}

export class NotRunnable extends Error {
  override name = 'NotRunnable';
}
