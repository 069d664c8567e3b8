// How every Arbiter Lambda is built (functions/<name>/handler.ts → one self-contained ESM bundle).
// What each one may reach is added by the use…() helpers next to each resource (useTable, useAdminKey,
// useWorkflow, ...), which set an env var and grant the matching access together so they cannot drift.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import { DOCS_ASSET_FOLDER, SWAGGER_UI_FILES } from '../functions/shared/docs-assets.js';
import { ENV_NAMES } from '../functions/shared/env.js';
import {
  EVENT_HANDLERS,
  type EventHandlerName,
  HANDLER_NAMES,
  type HandlerName,
  TASK_HANDLERS,
  TASK_TIMEOUT_SECONDS,
  type TaskHandlerName,
} from '../functions/shared/routes.js';
import { NODE_OPTIONS } from './node-options.js';

/** Repository root (ends with a slash): entries, lock file and version are resolved from here, not from cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVICE_VERSION: string = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')).version;

/** The newest Node.js runtime aws-cdk-lib knows (cdk-nag L1 checks for exactly that). */
export const RUNTIME = Runtime.NODEJS_24_X;

/** What the Lambda runtime provides: the AWS SDK v3 and the smithy packages it is built on. */
export const RUNTIME_SDK = ['@aws-sdk/*', '@smithy/*'];

/**
 * Each bundle's budget, minified (issue 12 §6), counted without the AWS SDK: what Arbiter adds to it (its code,
 * zod, Powertools, middy). test/infra/bundle-budget.test.ts holds every Lambda to it.
 */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;

/** The SDK's default credential chain, and what every bundle carries in its place. */
const DEFAULT_CREDENTIALS = '@aws-sdk/credential-provider-node';
const LAMBDA_CREDENTIALS = `${PROJECT_ROOT}lib/lambda-credentials.ts`;

export const BUNDLING: BundlingOptions = {
  // esbuild is a devDependency, so bundling runs locally; there is no Docker on build machines.
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require(); ESM bundles have none unless we make one.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // Bundle @aws-sdk/* too: the deployed code runs the SDK versions the lock file pins and tests ran, and a
  // bundled, tree-shaken client imports about twice as fast as the runtime's whole packages (BENCHMARKS.md,
  // `npm run bundle-report -- --sdk external`). That costs size: DynamoDB's client alone is ~330 KB minified,
  // so the budget counts each bundle without the SDK (BUNDLING_WITHOUT_SDK).
  bundleAwsSDK: true,
  // On Lambda the SDK's default credential chain always ends at its first link, the environment: the rest is
  // left out (lib/lambda-credentials.ts says why and what stays).
  esbuildArgs: { [`--alias:${DEFAULT_CREDENTIALS}`]: LAMBDA_CREDENTIALS },
  minify: true,
  sourceMap: true,
  // Maps give file:line in stack traces; leaving the sources out keeps the artifact small.
  sourcesContent: false,
};

/** A word for bash, quoted: project paths may hold spaces. */
const shellWord = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * health serves /docs from swagger-ui-dist's files, which are too big to bundle: after esbuild, the CDK copies
 * them into the asset next to index.mjs (docs-page.ts reads them there). The command hooks run where bundling
 * runs, so paths start from inputDir (the project root) and outputDir (the asset), as the CDK documents.
 */
const HEALTH_BUNDLING: BundlingOptions = {
  ...BUNDLING,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => {
      const from = `${inputDir}/node_modules/swagger-ui-dist`;
      const to = `${outputDir}/${DOCS_ASSET_FOLDER}`;
      const files = SWAGGER_UI_FILES.map((file) => shellWord(`${from}/${file}`)).join(' ');
      return [`mkdir -p ${shellWord(to)}`, `cp ${files} ${shellWord(to)}`];
    },
  },
};

/** How one function is built: BUNDLING, plus the docs' static files for health. */
const bundlingOf = (name: FunctionName): BundlingOptions => (name === 'health' ? HEALTH_BUNDLING : BUNDLING);

/** BUNDLING with the AWS SDK left to the Lambda runtime: what the bundle budget counts. */
export const BUNDLING_WITHOUT_SDK: BundlingOptions = { ...BUNDLING, bundleAwsSDK: false, externalModules: RUNTIME_SDK };

/**
 * BUNDLING as esbuild's own options, translated as aws-lambda-nodejs turns it into esbuild's command line
 * (Bundling.buildEsbuildArgs), so scripts/bundle-report.ts and test/infra/bundle-budget.test.ts build exactly
 * what is deployed. An option this does not translate is refused rather than silently dropped.
 */
export function esbuildOptions(bundling: BundlingOptions = BUNDLING): BuildOptions {
  const {
    forceDockerBundling: _docker,
    bundleAwsSDK,
    externalModules,
    format,
    target,
    mainFields,
    banner,
    minify,
    sourceMap,
    sourcesContent,
    esbuildArgs,
    ...untranslated
  } = bundling;
  if (Object.keys(untranslated).length > 0)
    throw new Error(`esbuildOptions does not translate ${Object.keys(untranslated).join(', ')}`);
  // Without bundleAwsSDK, CDK's default externals depend on a feature flag: BUNDLING names them instead.
  if (!bundleAwsSDK && externalModules === undefined)
    throw new Error('BUNDLING leaves the AWS SDK out: name the externalModules');
  return {
    bundle: true,
    platform: 'node',
    format,
    target,
    mainFields,
    banner: banner === undefined ? undefined : { js: banner },
    minify,
    sourcemap: sourceMap,
    sourcesContent,
    external: externalModules ?? [],
    // CDK writes index.mjs for ESM.
    outExtension: format === OutputFormat.ESM ? { '.js': '.mjs' } : undefined,
    alias: aliasesOf(esbuildArgs ?? {}),
  };
}

/** esbuildArgs' `--alias:from` entries as esbuild's alias option; any other argument is refused, as above. */
function aliasesOf(esbuildArgs: NonNullable<BundlingOptions['esbuildArgs']>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(esbuildArgs).map(([arg, to]) => {
      const from = arg.match(/^--alias:(.+)$/)?.[1];
      if (!from || typeof to !== 'string') throw new Error(`esbuildOptions does not translate esbuildArgs ${arg}`);
      return [from, to];
    }),
  );
}

export { NODE_OPTIONS } from './node-options.js';

/** Every Lambda: the API's handlers, the workflow's tasks and the event handlers. */
export type FunctionName = HandlerName | TaskHandlerName | EventHandlerName;
export const TASK_NAMES = Object.keys(TASK_HANDLERS) as TaskHandlerName[];
export const FUNCTION_NAMES: readonly FunctionName[] = [...HANDLER_NAMES, ...TASK_NAMES, ...EVENT_HANDLERS];

export function handlerEntry(handler: FunctionName): string {
  return `${PROJECT_ROOT}functions/${handler}/handler.ts`;
}

/** Every Lambda's entry, keyed by its name: one esbuild run builds them all. */
export const bundleEntries = (): Record<FunctionName, string> =>
  Object.fromEntries(FUNCTION_NAMES.map((name) => [name, handlerEntry(name)])) as Record<FunctionName, string>;

export const isTask = (name: FunctionName): name is TaskHandlerName => Object.hasOwn(TASK_HANDLERS, name);

/** API Gateway's integration timeout: an API handler running longer would answer into the void. */
export const API_TIMEOUT_SECONDS = 29;

const isEventHandler = (name: FunctionName): name is EventHandlerName =>
  (EVENT_HANDLERS as readonly string[]).includes(name);

/** The reconciler scans every customer's in-flight recommendations: up to its 5-minute schedule, less a minute. */
export const RECONCILER_TIMEOUT_SECONDS = 240;

/** API handlers answer within API Gateway's timeout; tasks and event handlers get the task budget; the reconciler its own. */
export function timeoutOf(name: FunctionName): Duration {
  if (name === 'reconciler') return Duration.seconds(RECONCILER_TIMEOUT_SECONDS);
  return Duration.seconds(isTask(name) || isEventHandler(name) ? TASK_TIMEOUT_SECONDS : API_TIMEOUT_SECONDS);
}

export interface ArbiterFunctionProps {
  handler: FunctionName;
}

/** One Lambda with its own log group and its own role (write to that log group, nothing else yet). */
export class ArbiterFunction extends Construct {
  readonly lambda: NodejsFunction;

  constructor(scope: Construct, id: string, props: ArbiterFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    // An explicit role instead of the managed AWSLambdaBasicExecutionRole, whose log permissions
    // cover every log group in the account.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statement CDK adds for active X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords): ' +
        'X-Ray has no resource-level permissions for these actions, so AWS documents Resource "*".',
    });

    this.lambda = new NodejsFunction(this, 'Function', {
      description: `Arbiter ${props.handler}`,
      entry: handlerEntry(props.handler),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: timeoutOf(props.handler),
      role,
      logGroup,
      bundling: bundlingOf(props.handler),
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'arbiter',
        [ENV_NAMES.version]: SERVICE_VERSION,
        NODE_OPTIONS,
        LOG_LEVEL: 'INFO',
      },
    });
  }
}
