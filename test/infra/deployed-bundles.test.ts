// What is deployed, run as Lambda runs it: assets synthesized by the CDK, each handler imported from its asset away
// from node_modules.
// - /docs on AWS (issue 11): the health function's asset carries swagger-ui-dist's files next to its bundle, and the
//   handler serves them from there. No other asset has them.
// - Credentials: the bundles carry lib/lambda-credentials.ts in place of the SDK's default chain; the handler signs
//   its DynamoDB calls with the credentials Lambda puts in the environment, and says so when there are none.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ASSET_FOLDER, SWAGGER_UI_FILES } from '../../functions/shared/docs-assets.js';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context.js';
import { ArbiterFunction, type FunctionName, NODE_OPTIONS } from '../../lib/function-defaults.js';
import { freshTable } from '../support/table.js';
import { logicalId } from './arbiter-app.js';

const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const outdir = mkdtempSync(`${tmpdir()}/deployed-bundles-`);
const assetDirs = new Map<FunctionName, string>();

beforeAll(() => {
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT } });
  const stack = new Stack(app, 'Bundled');
  const functions = (['health', 'record-step'] as const).map((name) => ({
    name,
    fn: new ArbiterFunction(stack, name, { handler: name }),
  }));
  app.synth();
  const resources = Template.fromStack(stack).toJSON().Resources;
  for (const { name, fn } of functions) {
    // The code's S3 key is the asset's hash, and the asset's folder in the cloud assembly is named after it.
    const key: string = resources[logicalId(fn.lambda)].Properties.Code.S3Key;
    assetDirs.set(name, `${outdir}/asset.${key.replace(/\.zip$/, '')}`);
  }
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the health function on AWS', () => {
  it("carries swagger-ui-dist's files, byte for byte, next to its bundle", () => {
    const asset = assetDirs.get('health')!;
    expect(existsSync(`${asset}/index.mjs`)).toBe(true);
    for (const file of SWAGGER_UI_FILES)
      expect(
        readFileSync(`${asset}/${DOCS_ASSET_FOLDER}/${file}`).equals(readFileSync(`${swaggerUiDist}/${file}`)),
        file,
      ).toBe(true);
  });

  it('is the only function that carries them', () => {
    const asset = assetDirs.get('record-step')!;
    expect(existsSync(`${asset}/index.mjs`)).toBe(true);
    expect(existsSync(`${asset}/${DOCS_ASSET_FOLDER}`)).toBe(false);
  });

  /** The deployed handler's answer to GET /docs/{file}, run from the asset as Lambda runs it (with that task root). */
  function served(file: string, taskRoot: string) {
    const reply = healthAnswer(`/docs/${file}`, { LAMBDA_TASK_ROOT: taskRoot });
    return { status: reply.status, hash: createHash('sha256').update(reply.body).digest('hex') };
  }

  it.each(['swagger-ui-bundle.js', 'swagger-ui.css'])('serves %s from its asset, away from node_modules', (file) => {
    const expected = createHash('sha256')
      .update(readFileSync(`${swaggerUiDist}/${file}`, 'utf8'))
      .digest('hex');
    expect(served(file, assetDirs.get('health')!)).toEqual({ status: 200, hash: expected });
  });

  it('answers 404 where the files are not deployed (the check above could fail)', () => {
    expect(served('swagger-ui.css', assetDirs.get('record-step')!).status).toBe(404);
  });
});

/**
 * The health bundle's answer to GET {path}, imported from its asset in a process of its own with nothing in its
 * environment but PATH, NODE_OPTIONS and `env` (the asset lies in the temp folder: no node_modules to fall back on).
 */
function healthAnswer(path: string, env: Record<string, string>): { status: number; body: string } {
  const asset = assetDirs.get('health')!;
  const [resource, pathParameters] = path.startsWith('/docs/')
    ? ['/docs/{asset}', { asset: path.slice('/docs/'.length) }]
    : [path, null];
  const event = {
    httpMethod: 'GET',
    resource,
    path,
    pathParameters,
    headers: {},
    queryStringParameters: null,
    body: null,
  };
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(`${asset}/index.mjs`).href)});
    const reply = await handler(${JSON.stringify(event)},
      { functionName: 'health', awsRequestId: 'test', getRemainingTimeInMillis: () => 29000 });
    process.stdout.write(JSON.stringify({ status: reply.statusCode, body: reply.body }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: asset,
    env: { PATH: process.env.PATH, NODE_OPTIONS, LOG_LEVEL: 'ERROR', ...env },
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (child.status !== 0) throw new Error(`the health bundle failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

describe("the deployed bundles' credentials", () => {
  /** As on Lambda: the region and the table in the environment; DynamoDB at DynamoDB Local, by the SDK's own setting. */
  async function lambdaEnvironment() {
    const { endpoint, tableName } = await freshTable();
    return { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: endpoint, TABLE_NAME: tableName };
  }
  const databaseOf = (reply: { body: string }) => JSON.parse(reply.body).components.database;

  it("carry none of the default chain's workstation links", () => {
    for (const asset of assetDirs.values()) {
      const bundle = readFileSync(`${asset}/index.mjs`, 'utf8');
      expect(bundle).toContain('AWS_SECRET_ACCESS_KEY');
      expect(bundle).not.toContain('Skipping SSO provider');
      expect(bundle).not.toContain('credential_process');
    }
  });

  it("sign with the execution role's credentials that Lambda puts in the environment", async () => {
    const reply = healthAnswer('/health', {
      ...(await lambdaEnvironment()),
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example-secret-access-key',
      AWS_SESSION_TOKEN: 'example-session-token',
    });
    expect(databaseOf(reply)).toMatchObject({ status: 'healthy' });
  });

  it('say that credentials are missing, at once, when the environment has none', async () => {
    const reply = healthAnswer('/health', await lambdaEnvironment());
    expect(reply.status).toBe(503);
    expect(databaseOf(reply)).toMatchObject({ status: 'unhealthy', error: 'CredentialsProviderError' });
  });
});
