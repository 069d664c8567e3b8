import { existsSync, readFileSync } from 'node:fs';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../../functions/shared/env.js';
import { HANDLER_NAMES } from '../../functions/shared/routes.js';
import { BUNDLING, PROJECT_ROOT, RUNTIME, handlerEntry } from '../../lib/function-defaults.js';
import { logicalId, referencedId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const functionResources = resourcesOfType(template, 'AWS::Lambda::Function');
const propsOf = (name: (typeof HANDLER_NAMES)[number]) => functionResources[logicalId(stack.functions[name])].Properties;
const version = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')).version;

describe('functions', () => {
  it('are one per handler name and nothing else (no helper Lambdas)', () => {
    expect(Object.keys(functionResources)).toHaveLength(HANDLER_NAMES.length);
  });

  it('are built from functions/<name>/handler.ts', () => {
    for (const name of HANDLER_NAMES) {
      const entry = handlerEntry(name);
      expect(entry).toBe(`${PROJECT_ROOT}functions/${name}/handler.ts`);
      expect(existsSync(entry), entry).toBe(true);
      expect(propsOf(name).Handler).toBe('index.handler');
    }
  });

  it.each(HANDLER_NAMES)('%s runs on ARM64, the newest Node.js runtime, 512 MB, within the API timeout', (name) => {
    const props = propsOf(name);
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Runtime).toMatch(/^nodejs(22|24)\.x$/);
    const newestNode = Runtime.ALL.map((r) => r.name).filter((n) => /^nodejs\d+\.x$/.test(n)).sort((a, b) => parseInt(a.slice(6)) - parseInt(b.slice(6))).at(-1);
    expect(props.Runtime).toBe(newestNode);
    expect(props.MemorySize).toBe(512);
    expect(props.Timeout).toBeLessThanOrEqual(29);
  });

  it.each(HANDLER_NAMES)('%s gets the service environment and the table by reference', (name) => {
    expect(propsOf(name).Environment.Variables).toEqual(
      expect.objectContaining({
        POWERTOOLS_SERVICE_NAME: 'arbiter',
        [ENV_NAMES.version]: version,
        NODE_OPTIONS: '--enable-source-maps',
        LOG_LEVEL: 'INFO',
        [ENV_NAMES.table]: { Ref: logicalId(stack.table.table) },
      }),
    );
  });

  it('gives the admin key secret ARN to every function that accepts keys, and not to the public health check', () => {
    for (const name of HANDLER_NAMES) {
      const variables = propsOf(name).Environment.Variables;
      if (name !== 'health') expect(variables[ENV_NAMES.adminKeySecretArn]).toEqual({ Ref: logicalId(stack.adminKey.secret) });
      else expect(variables).not.toHaveProperty(ENV_NAMES.adminKeySecretArn);
    }
  });

  it.each(HANDLER_NAMES)('%s logs to its own log group with a retention', (name) => {
    const logGroupId = referencedId(propsOf(name).LoggingConfig.LogGroup)!;
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
    const others = HANDLER_NAMES.filter((n) => n !== name).map((n) => referencedId(propsOf(n).LoggingConfig.LogGroup));
    expect(others).not.toContain(logGroupId);
  });

  it('are bundled locally by esbuild into self-contained ESM for the runtime', () => {
    expect(BUNDLING).toMatchObject({
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      target: RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
      mainFields: ['module', 'main'],
      bundleAwsSDK: true,
      minify: true,
      sourceMap: true,
    });
    expect(BUNDLING.externalModules ?? []).toEqual([]);
    expect(BUNDLING.banner).toContain('const require = createRequire(import.meta.url)');
  });
});
