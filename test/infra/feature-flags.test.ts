// cdk.json carries aws-cdk-lib's recommended feature flags as `cdk init` writes them, and a synth
// leaves none "not configured" (the CLI's count, computed here the same way from the assembly's
// feature flag report). Upgrading aws-cdk-lib makes this fail until the new flags are decided.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context.js';
import { PROJECT_ROOT } from '../../lib/function-defaults.js';
import { arbiterApp } from './arbiter-app.js';

const recommended: Record<string, unknown> = createRequire(import.meta.url)(
  'aws-cdk-lib/recommended-feature-flags.json',
);
const cdkJson = JSON.parse(readFileSync(`${PROJECT_ROOT}cdk.json`, 'utf8'));

interface FlagReport {
  userValue?: unknown;
  recommendedValue?: unknown;
  unconfiguredBehavesLike?: { v2?: unknown };
}

/** The CLI's own list (aws-cdk, commands/flags/operations.ts): flags it no longer reports. */
const OBSOLETE_FLAGS = [
  '@aws-cdk/core:enableStackNameDuplicates',
  '@aws-cdk/aws-s3:grantWriteWithoutAcl',
  '@aws-cdk/aws-kms:defaultKeyPolicies',
];

/** As the CLI decides it after a synth: not set, and its default differs from the recommended value. */
function unconfigured(flags: Record<string, FlagReport>): string[] {
  return Object.entries(flags)
    .filter(([name]) => !OBSOLETE_FLAGS.includes(name))
    .filter(([, flag]) => flag.userValue === undefined)
    .filter(([, flag]) => (flag.unconfiguredBehavesLike?.v2 ?? false) !== flag.recommendedValue)
    .map(([name]) => name);
}

describe('feature flags', () => {
  it("are in cdk.json's context with their recommended values, sorted after cli-telemetry as cdk init writes them", () => {
    const { 'cli-telemetry': telemetry, ...flags } = cdkJson.context;
    expect(telemetry).toBe(false);
    expect(flags).toEqual(recommended);
    expect(Object.keys(flags)).toEqual(Object.keys(recommended).sort());
    expect(CDK_JSON_CONTEXT).toEqual(cdkJson.context);
  });

  it('leave none unconfigured in the synthesized assembly (the infra tests synthesize with them too)', () => {
    const { app } = arbiterApp();
    const assembly = app.synth();
    const [report] = Object.values(assembly.manifest.artifacts ?? {}).filter(
      (artifact) => artifact.type === 'cdk:feature-flag-report',
    );
    const { flags } = report.properties as { flags: Record<string, FlagReport> };
    expect(Object.keys(flags).length).toBeGreaterThan(80);
    expect(unconfigured(flags)).toEqual([]);
    for (const [name, value] of Object.entries(recommended)) expect(flags[name]?.userValue, name).toEqual(value);
  });
});
