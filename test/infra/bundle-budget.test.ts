// Every Lambda's bundle, built with the esbuild options the CDK deploys (lib/function-defaults.ts): what
// Arbiter adds to the AWS SDK stays under the budget (issue 12 §6), each function carries only the SDK clients
// it uses, and those options are checked against a bundle the CDK itself builds.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { App, Stack } from 'aws-cdk-lib';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context.js';
import {
  ArbiterFunction,
  BUNDLE_BUDGET_BYTES,
  BUNDLING_WITHOUT_SDK,
  bundleEntries,
  esbuildOptions,
  FUNCTION_NAMES,
  type FunctionName,
  handlerEntry,
  PROJECT_ROOT,
} from '../../lib/function-defaults.js';

/** The SDK clients (@aws-sdk/client-*) each function uses, from what it is granted in lib/arbiter-stack.ts. */
const SDK_CLIENTS: Record<FunctionName, string[]> = {
  coordinate: ['dynamodb', 'secrets-manager', 'sfn'],
  // Cancel signals, stops or starts the recommendation's workflow; resuming a paused customer signals plans.
  recommendations: ['dynamodb', 'secrets-manager', 'sfn'],
  admin: ['dynamodb', 'kms', 'secrets-manager', 'sfn', 'sns'],
  health: ['dynamodb', 'sfn', 'sns'],
  approvals: ['dynamodb', 'secrets-manager', 'sfn'],
  review: ['dynamodb', 'secrets-manager', 'sfn'],
  executions: ['dynamodb', 'kms', 'secrets-manager', 'sfn'],
  'request-approval': ['dynamodb', 'secrets-manager', 'sfn', 'sns'],
  'record-outcome': ['dynamodb', 'sfn', 'sns'],
  'execution-ended': ['dynamodb', 'sfn', 'sns'],
  reconciler: ['dynamodb', 'sfn', 'sns'],
  'await-execution': ['dynamodb', 'sfn'],
  'check-dependencies': ['dynamodb', 'sfn'],
  'resource-locks': ['dynamodb', 'sfn'],
  // Both may open or close an agent's circuit, which alerts the operators (issue 10).
  'record-step': ['dynamodb', 'sns'],
  'dispatch-step': ['dynamodb', 'kms', 'sfn', 'sns'],
};

interface Bundle {
  /** Minified, with the SDK left out: what Arbiter adds to it. */
  bytes: number;
  /** The @aws-sdk packages it imports. */
  sdkImports: string[];
  /** zod's message translations in it, English aside. */
  locales: string[];
}

const bundles = new Map<FunctionName, Bundle>();

beforeAll(async () => {
  // One esbuild run for every Lambda; with the SDK left to the runtime, as the budget counts it.
  const { metafile } = await build({
    ...esbuildOptions(BUNDLING_WITHOUT_SDK),
    entryPoints: bundleEntries(),
    outdir: `${PROJECT_ROOT}cdk.out/bundle-budget`,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const byEntry = new Map(FUNCTION_NAMES.map((name) => [handlerEntry(name), name]));
  for (const output of Object.values((metafile as Metafile).outputs)) {
    const name = output.entryPoint && byEntry.get(`${PROJECT_ROOT}${output.entryPoint}`);
    if (!name) continue;
    const sdkImports = output.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path);
    const locales = Object.keys(output.inputs).filter((path) => /\/zod\/v4\/locales\/(?!en\.js$)/.test(path));
    bundles.set(name, { bytes: output.bytes, sdkImports: [...new Set(sdkImports)], locales });
  }
}, 120_000);

describe('Lambda bundles', () => {
  it('are built for every function', () => {
    expect([...bundles.keys()].sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(FUNCTION_NAMES)(`%s adds at most ${BUNDLE_BUDGET_BYTES / 1024} KB (minified) to the AWS SDK`, (name) => {
    expect(bundles.get(name)!.bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
  });

  it.each(FUNCTION_NAMES)("%s bundles none of zod's locales but English", (name) => {
    // A named `import { z } from 'zod'` anywhere in the bundle brings in all of them (`import * as z` does not).
    expect(bundles.get(name)!.locales).toEqual([]);
  });

  it.each(FUNCTION_NAMES)('%s bundles only the AWS SDK clients it uses', (name) => {
    const clients = bundles
      .get(name)!
      .sdkImports.filter((path) => path.startsWith('@aws-sdk/client-'))
      .map((path) => path.slice('@aws-sdk/client-'.length))
      .sort();
    expect(clients).toEqual(SDK_CLIENTS[name]);
  });

  it('are built with the options the CDK builds with', async () => {
    // The CDK bundles one function through esbuild's command line; the same function through
    // esbuildOptions() must come out byte for byte the same.
    const name: FunctionName = 'record-step';
    const outdir = mkdtempSync(`${tmpdir()}/bundle-budget-`);
    try {
      const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT } });
      new ArbiterFunction(new Stack(app, 'Bundled'), 'Fn', { handler: name });
      app.synth();
      const asset = readdirSync(outdir).find((entry) => entry.startsWith('asset.'));
      const deployed = readFileSync(`${outdir}/${asset}/index.mjs`, 'utf8');
      const { outputFiles } = await build({
        ...esbuildOptions(),
        entryPoints: { index: handlerEntry(name) },
        outdir,
        write: false,
        logLevel: 'silent',
      });
      const built = outputFiles.find((file) => file.path.endsWith('index.mjs'))!.text;
      expect(built.length).toBeGreaterThan(0);
      expect(built).toBe(deployed);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
