import { Validations } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { HANDLER_NAMES, ROUTES } from '../../functions/shared/routes.js';
import { AGENT_SIGNED_ROUTES, THROTTLING } from '../../lib/api.js';
import { type Json, joined, logicalId, referencedId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const restApiId = logicalId(stack.api.restApi);
const handlerByFunctionId = new Map(HANDLER_NAMES.map((name) => [logicalId(stack.functions[name]), name]));

/** Full path of every API Gateway resource, rebuilt from the PathPart/ParentId chain. */
function resourcePaths(): Map<string, string> {
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  const pathOf = (id: string): string => {
    const { ParentId, PathPart } = resources[id].Properties;
    const parent = referencedId(ParentId);
    return `${parent === restApiId ? '' : pathOf(parent!)}/${PathPart}`;
  };
  return new Map(Object.keys(resources).map((id) => [id, pathOf(id)]));
}

const paths = resourcePaths();
const methods = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method')).map((m: Json) => m.Properties);
const methodFor = (method: string, path: string) =>
  methods.find((m) => m.HttpMethod === method && paths.get(referencedId(m.ResourceId)!) === path);

describe('API routes', () => {
  it('serves exactly the routes in ROUTES, each by its handler function through a Lambda proxy', () => {
    const served = methods.map((m) => {
      const uri = joined(m.Integration.Uri);
      const functionId = /functions\/<([^.>]+)\.Arn>\/invocations$/.exec(uri)?.[1];
      expect(m.Integration.Type).toBe('AWS_PROXY');
      return `${m.HttpMethod} ${paths.get(referencedId(m.ResourceId)!)} -> ${handlerByFunctionId.get(functionId!)}`;
    });
    const expected = ROUTES.map((r) => `${r.method} ${r.path} -> ${r.handler}`);
    expect(served.sort()).toEqual(expected.sort());
  });

  it('lets API Gateway invoke each function only for the methods routed to it', () => {
    const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission'))
      .map((p: Json) => p.Properties)
      .filter((p) => p.Principal !== 'events.amazonaws.com'); // the execution-ended rule, tested in workflow.test.ts
    const allowed = permissions.map((p) => {
      expect(p.Principal).toBe('apigateway.amazonaws.com');
      const source = joined(p.SourceArn).split('/').slice(2).join('/'); // drop "<api>/<stage>"
      return `${handlerByFunctionId.get(referencedId(p.FunctionName)!)} ${source}`;
    });
    const expected = ROUTES.map((r) => `${r.handler} ${r.method}${r.path.replace(/\{[^}]+\}/g, '*')}`);
    expect(allowed.sort()).toEqual(expected.sort());
  });

  it('leaves authentication to the Lambdas and validates requests, declaring every path parameter', () => {
    const [validatorId] = Object.keys(resourcesOfType(template, 'AWS::ApiGateway::RequestValidator'));
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    for (const route of ROUTES) {
      const method = methodFor(route.method, route.path);
      expect(method.AuthorizationType).toBe('NONE');
      expect(referencedId(method.RequestValidatorId)).toBe(validatorId);
      const declared = Object.keys(method.RequestParameters ?? {}).map((p) => p.replace('method.request.path.', ''));
      const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect(declared, route.path).toEqual(inPath);
    }
  });
});

describe('API authentication reasoning (cdk-nag APIG4)', () => {
  const apig4 = stack.api.restApi.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
    .find(([id]) => id.replace(/^annotation::/i, '') === 'AwsSolutions-APIG4')?.[1];

  it("treats agents' step callbacks as signed by the agent, not as API-key routes", () => {
    expect(AGENT_SIGNED_ROUTES).toEqual(['POST /coordination/steps/{id}/callback']);
    for (const name of AGENT_SIGNED_ROUTES) {
      expect(
        ROUTES.filter((r) => `${r.method} ${r.path}` === name).map((r) => r.handler),
        name,
      ).toEqual(['executions']);
    }
  });

  it('names every route API Gateway lets through without a key: the public ones and the agent-signed ones', () => {
    const keyless = [...ROUTES.filter((r) => r.public).map((r) => `${r.method} ${r.path}`), ...AGENT_SIGNED_ROUTES];
    for (const name of keyless) expect(apig4).toContain(name);
    expect(apig4).toContain('signing secret');
  });
});

describe('API stage', () => {
  const [stage] = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Stage')).map((s: Json) => s.Properties);

  it('throttles, traces and logs every request', () => {
    expect(stage.TracingEnabled).toBe(true);
    expect(stage.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: THROTTLING.rateLimit,
        ThrottlingBurstLimit: THROTTLING.burstLimit,
      }),
    ]);
    // The log group's ARN without the trailing `:*` (feature flag logGroupDestinationArnWithoutWildcard).
    const destination = joined(stage.AccessLogSetting.DestinationArn);
    const [, accessLogGroup] =
      /^arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:<(\w+)>$/.exec(destination) ?? [];
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[accessLogGroup].Properties.RetentionInDays).toBeGreaterThan(
      0,
    );
    expect(JSON.parse(stage.AccessLogSetting.Format)).toHaveProperty('status');
  });

  it('answers its own errors (throttling, validation, unknown route) with the API error shape', () => {
    const responses = Object.values(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')).map(
      (r: Json) => r.Properties,
    );
    const byType = Object.fromEntries(responses.map((r) => [r.ResponseType, r]));
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(byType[type].ResponseTemplates['application/json']).toBe('{"error":$context.error.messageString}');
    }
    expect(byType.MISSING_AUTHENTICATION_TOKEN.StatusCode).toBe('404');
    expect(JSON.parse(byType.MISSING_AUTHENTICATION_TOKEN.ResponseTemplates['application/json'])).toEqual({
      error: 'not found',
    });
  });

  it('publishes the stage URL, table name, admin key ARN (never the key), state machine, topics and dashboard', () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual([
      'AdminKeySecretArn',
      'ApiUrl',
      'DashboardName',
      'OpsTopicArn',
      'StateMachineArn',
      'TableName',
      'TopicArn',
    ]);
    expect(joined(outputs.ApiUrl.Value)).toBe(
      `https://<${restApiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/${stage.StageName}/`,
    );
    expect(referencedId(outputs.TableName.Value)).toBe(logicalId(stack.table.table));
    expect(outputs.AdminKeySecretArn.Value).toEqual({ Ref: logicalId(stack.adminKey.secret) });
  });
});
