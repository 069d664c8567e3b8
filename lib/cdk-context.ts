// The context cdk.json gives the app the CLI runs: the recommended feature flags as `cdk init` writes
// them (sorted, beside `cli-telemetry`). Apps made outside the CLI (the infra tests) take it from
// here, so they synthesize the template a deploy would, flags included.
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from './function-defaults.js';

export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(`${PROJECT_ROOT}cdk.json`, 'utf8'),
).context;
