import { existsSync, readFileSync } from 'node:fs';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../../functions/shared/env.js';
import { HANDLER_NAMES } from '../../functions/shared/routes.js';
import {
  BUNDLING,
  FUNCTION_NAMES,
  type FunctionName,
  handlerEntry,
  PROJECT_ROOT,
  RUNTIME,
  TASK_NAMES,
} from '../../lib/function-defaults.js';
import { type Json, logicalId, referencedId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const functionResources = resourcesOfType(template, 'AWS::Lambda::Function');
const propsOf = (name: FunctionName) => functionResources[logicalId(stack.functions[name])].Properties;
const version = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')).version;

const ref = (construct: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(construct) });
const adminKey = { [ENV_NAMES.adminKeySecretArn]: ref(stack.adminKey.secret) };
const linkSecret = { [ENV_NAMES.linkSecretArn]: ref(stack.linkSecret.secret) };
const workflow = { [ENV_NAMES.stateMachineArn]: stack.resolve(stack.workflow.stateMachineArn) };
const topic = { [ENV_NAMES.topicArn]: ref(stack.notifications.topic) };
const secretsKey = { [ENV_NAMES.secretsKeyArn]: stack.resolve(stack.secretsKey.key.keyArn) };
const apiUrl = { [ENV_NAMES.publicApiUrl]: template.toJSON().Outputs.ApiUrl.Value };

/** Beyond the service settings and TABLE_NAME, which every function gets: exactly these variables. */
const EXPECTED_ENV: Record<FunctionName, Record<string, Json>> = {
  coordinate: { ...adminKey, ...workflow },
  recommendations: { ...adminKey, ...workflow },
  admin: { ...adminKey, ...topic, ...secretsKey, ...workflow },
  health: { ...workflow, ...topic },
  approvals: { ...adminKey, ...workflow },
  review: { ...linkSecret, ...workflow },
  executions: { ...adminKey, ...workflow, ...secretsKey },
  'request-approval': { ...linkSecret, ...topic, ...apiUrl, ...workflow },
  'record-outcome': { ...topic, ...workflow },
  'execution-ended': { ...topic, ...workflow },
  reconciler: { ...topic, ...workflow },
  'await-execution': { ...workflow },
  'check-dependencies': { ...workflow },
  'resource-locks': { ...workflow },
  'record-step': { ...topic },
  'dispatch-step': { ...topic, ...apiUrl, ...workflow, ...secretsKey },
};

/** Resource ids each resource depends on: Ref, Fn::GetAtt, ${X} in Fn::Sub, DependsOn. */
function dependencies(resource: Json): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const visit = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const id = referencedId(value);
      if (id) found.add(id);
      if (typeof value['Fn::Sub'] === 'string')
        for (const m of value['Fn::Sub'].matchAll(/\$\{([^.}]+)/g)) found.add(m[1]);
      Object.values(value).forEach(visit);
    }
  };
  visit(resource.Properties);
  return found;
}

describe('functions', () => {
  it('are one per API handler and workflow task, and nothing else (no helper Lambdas)', () => {
    expect(Object.keys(functionResources)).toHaveLength(FUNCTION_NAMES.length);
  });

  it('are all traced by X-Ray (active tracing)', () => {
    for (const name of FUNCTION_NAMES) expect(propsOf(name).TracingConfig, name).toEqual({ Mode: 'Active' });
  });

  it('are built from functions/<name>/handler.ts', () => {
    for (const name of FUNCTION_NAMES) {
      const entry = handlerEntry(name);
      expect(entry).toBe(`${PROJECT_ROOT}functions/${name}/handler.ts`);
      expect(existsSync(entry), entry).toBe(true);
      expect(propsOf(name).Handler).toBe('index.handler');
    }
  });

  it.each(FUNCTION_NAMES)('%s runs on ARM64, the newest Node.js runtime, 512 MB, outside any VPC', (name) => {
    const props = propsOf(name);
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Runtime).toMatch(/^nodejs(22|24)\.x$/);
    const newestNode = Runtime.ALL.map((r) => r.name)
      .filter((n) => /^nodejs\d+\.x$/.test(n))
      .sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10))
      .at(-1);
    expect(props.Runtime).toBe(newestNode);
    expect(props.MemorySize).toBe(512);
    // No VPC: dispatch-step reaches agents over the internet, and nothing else needs private networking.
    expect(props.VpcConfig).toBeUndefined();
  });

  it.each(HANDLER_NAMES)("API handler %s stops within API Gateway's 29 s integration timeout", (name) => {
    expect(propsOf(name).Timeout).toBe(29);
  });

  it.each(TASK_NAMES)(
    'workflow task %s gets 60 s: twice the longest agent request dispatch-step makes (30 s)',
    (name) => {
      expect(propsOf(name).Timeout).toBe(60);
    },
  );

  it('the reconciler gets 4 minutes: it ends before its next 5-minute run starts', () => {
    expect(propsOf('reconciler').Timeout).toBe(240);
  });

  it.each(FUNCTION_NAMES)(
    '%s gets the service environment, the table, and exactly the resources it uses, by reference',
    (name) => {
      expect(propsOf(name).Environment.Variables).toEqual({
        POWERTOOLS_SERVICE_NAME: 'arbiter',
        [ENV_NAMES.version]: version,
        NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=32',
        LOG_LEVEL: 'INFO',
        [ENV_NAMES.table]: { Ref: logicalId(stack.table.table) },
        ...EXPECTED_ENV[name],
      });
    },
  );

  it('gives the admin key to every function that accepts API keys, never to public or workflow ones', () => {
    const withAdminKey = FUNCTION_NAMES.filter(
      (name) => ENV_NAMES.adminKeySecretArn in propsOf(name).Environment.Variables,
    );
    expect(withAdminKey).toEqual(['coordinate', 'recommendations', 'admin', 'approvals', 'executions']);
  });

  it('gives request-approval (review links) and dispatch-step (callback URLs) the API stage URL, without a dependency cycle', () => {
    const withApiUrl = FUNCTION_NAMES.filter((name) => ENV_NAMES.publicApiUrl in propsOf(name).Environment.Variables);
    expect(withApiUrl).toEqual(['request-approval', 'dispatch-step']);
    for (const name of withApiUrl) {
      expect(propsOf(name).Environment.Variables[ENV_NAMES.publicApiUrl]).toEqual(
        template.toJSON().Outputs.ApiUrl.Value,
      );
    }
    const resources: Record<string, Json> = template.toJSON().Resources;
    const state = new Map<string, 'visiting' | 'done'>();
    const cycleFrom = (id: string, path: string[]): string[] | undefined => {
      if (state.get(id) === 'done' || !(id in resources)) return undefined;
      if (state.get(id) === 'visiting') return [...path, id];
      state.set(id, 'visiting');
      for (const next of dependencies(resources[id])) {
        const cycle = cycleFrom(next, [...path, id]);
        if (cycle) return cycle;
      }
      state.set(id, 'done');
      return undefined;
    };
    for (const id of Object.keys(resources)) expect(cycleFrom(id, [])?.join(' -> ')).toBeUndefined();
  });

  it.each(FUNCTION_NAMES)('%s logs to its own log group with a retention', (name) => {
    const logGroupId = referencedId(propsOf(name).LoggingConfig.LogGroup)!;
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
    const others = FUNCTION_NAMES.filter((n) => n !== name).map((n) => referencedId(propsOf(n).LoggingConfig.LogGroup));
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
