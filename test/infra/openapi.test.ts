// /openapi.json against the OpenAPI 3.1 schema (@readme/openapi-parser), and against what the registry
// promises: every operation has a summary, its request schemas, a 2xx answer with a schema, and examples
// that validate (ajv, JSON Schema 2020-12, formats checked).
import { compileErrors, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/shared/openapi.js';
import { ROUTES } from '../../functions/shared/routes.js';

type Json = Record<string, any>;
const document = openApiDocument('1.2.3') as Json;

const operations = Object.entries(document.paths as Json).flatMap(([path, methods]) =>
  Object.entries(methods as Json).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op: op as Json })),
);

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its plugin is the module's `default` under NodeNext.
  (formats as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
  return ajv;
}

/** The example validates against the schema it documents; a failure names where. */
function checkExample(schema: Json, example: unknown): string[] {
  const check = validator().compile(schema);
  return check(example) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
  });

  it('has exactly the registry routes', () => {
    expect(operations.map((o) => o.name).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it.each(operations)('$name has a summary, a 2xx answer with a schema, and valid examples', ({ name, op }) => {
    expect(op.summary, name).toMatch(/\w/);
    expect(op.description, name).toMatch(/^Who may call: /);
    const successes = Object.entries(op.responses as Json).filter(([status]) => /^2\d\d$/.test(status));
    expect(successes.length).toBeGreaterThan(0);
    for (const [status, response] of successes) {
      const [content] = Object.values(response.content as Json) as Json[];
      expect(content.schema, `${name} ${status}`).toBeTypeOf('object');
      expect(checkExample(content.schema, content.example), `${name} ${status} example`).toEqual([]);
    }
  });

  it.each(ROUTES)('$method $path documents its request: path, query and body schemas', (route) => {
    const op = document.paths[route.path][route.method.toLowerCase()] as Json;
    const declared = (where: string) =>
      (op.parameters as Json[]).filter((p) => p.in === where).map((p) => p.name as string);
    expect(declared('path').sort()).toEqual([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
    if (route.query) expect(declared('query').length).toBeGreaterThan(0);
    for (const p of op.parameters as Json[]) expect(p.schema, `${p.in} ${p.name}`).toBeTypeOf('object');
    expect(op.requestBody !== undefined).toBe(route.body !== undefined);
    if (op.requestBody) {
      const [content] = Object.values(op.requestBody.content as Json) as Json[];
      expect(checkExample(content.schema, content.example), 'request example').toEqual([]);
      // The example is also what the handler's own zod schema accepts.
      expect(route.body!.safeParse(content.example).success).toBe(true);
    }
  });

  it('lists the query parameters the handlers read', () => {
    const query = (key: string) => {
      const [method, path] = key.split(' ');
      return (document.paths[path][method.toLowerCase()].parameters as Json[])
        .filter((p) => p.in === 'query')
        .map((p) => `${p.name}${p.required ? '!' : ''}`);
    };
    expect(query('GET /coordination/recommendations')).toEqual(['status', 'limit', 'next', 'customer_id']);
    expect(query('POST /admin/agents/{agent_id}/keys')).toEqual(['customer_id!']);
    expect(query('GET /approvals/{id}/review')).toEqual(['approver!', 'expires!', 'sig!']);
    expect(query('POST /coordination/steps/{id}/callback')).toEqual(['dispatch']);
  });

  it('requires user_id to approve and a reason to reject', () => {
    const body = (path: string) => document.paths[path].post.requestBody.content['application/json'].schema;
    expect(body('/coordination/approvals/{id}/approve').required).toEqual(['user_id']);
    expect(body('/coordination/approvals/{id}/reject').required).toEqual(['user_id', 'reason']);
  });

  it('asks for the Bearer key exactly on the key routes', () => {
    const keyless = operations.filter((o) => o.op.security.length === 0).map((o) => o.name);
    expect(keyless.sort()).toEqual(
      ROUTES.filter((r) => r.public)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  it('documents the signed step request agents receive and the signed callback', () => {
    const webhook = document.webhooks.stepRequest.post as Json;
    const headers = (op: Json) => (op.parameters as Json[]).filter((p) => p.in === 'header' && p.required);
    expect(headers(webhook).map((p) => p.name)).toEqual(['x-arbiter-signature', 'x-arbiter-timestamp']);
    const request = webhook.requestBody.content['application/json'];
    expect(checkExample(request.schema, request.example)).toEqual([]);
    expect(Object.keys(webhook.responses)).toEqual(['200', '202']);
    const callback = document.paths['/coordination/steps/{id}/callback'].post as Json;
    expect(headers(callback).map((p) => p.name)).toEqual(['x-arbiter-signature', 'x-arbiter-timestamp']);
  });

  it('names the policy PUT body fields GET returns as accepted', () => {
    const put = document.paths['/admin/customers/{customer_id}/policy'].put as Json;
    const get = document.paths['/admin/customers/{customer_id}/policy'].get as Json;
    const accepted = Object.keys(put.requestBody.content['application/json'].schema.properties);
    const returned = Object.keys(get.responses['200'].content['application/json'].schema.properties);
    expect(accepted.sort()).toEqual(returned.sort());
  });
});
