// /docs on AWS (issue 11): the health function's asset carries swagger-ui-dist's files next to its bundle, and
// the deployed handler, run from that asset away from node_modules, serves them from there. No other asset has them.
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
import { logicalId } from './arbiter-app.js';

const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const outdir = mkdtempSync(`${tmpdir()}/docs-bundle-`);
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
    const asset = assetDirs.get('health')!;
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(`${asset}/index.mjs`).href)});
      const reply = await handler({ httpMethod: 'GET', resource: '/docs/{asset}', path: '/docs/${file}',
        pathParameters: { asset: '${file}' }, headers: {}, queryStringParameters: null, body: null },
        { functionName: 'health', awsRequestId: 'test', getRemainingTimeInMillis: () => 29000 });
      const hash = (await import('node:crypto')).createHash('sha256').update(reply.body).digest('hex');
      process.stdout.write(JSON.stringify({ status: reply.statusCode, hash }));`;
    // The asset lies in the temp folder: the fallback to node_modules finds nothing there.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: asset,
      env: { PATH: process.env.PATH, NODE_OPTIONS, LAMBDA_TASK_ROOT: taskRoot, LOG_LEVEL: 'ERROR' },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`the health bundle failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as { status: number; hash: string };
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
