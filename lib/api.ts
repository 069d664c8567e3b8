// The REST API, built from the route registry (functions/shared/routes.ts: shared with the local gateway,
// the handlers and /openapi.json) so all serve the same paths.
// Callers authenticate inside the Lambdas (hashed Bearer keys; agents' callbacks by their HMAC
// signature), so API Gateway does no auth.
import { Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SIGNATURE_TOLERANCE_SECONDS } from '../functions/core/protocol/agent-steps.js';
import { type HandlerName, ROUTES, routeKey } from '../functions/shared/routes.js';

/**
 * Routes whose credential is an agent's HMAC signature (agent-protocol: `x-arbiter-signature` over
 * timestamp and body, with the signing secret the agent got at registration), not an API key. The
 * executions Lambda verifies it. Like the public routes, API Gateway lets them through unauthenticated.
 */
export const AGENT_SIGNED_ROUTES: readonly string[] = ROUTES.filter((r) => r.access === 'agent-signature').map(
  routeKey,
);

/** Stage-wide limits; beyond them API Gateway answers 429 without invoking a Lambda. */
export const THROTTLING = { rateLimit: 50, burstLimit: 100 };

/** The one deployment stage (CDK's default name, stated because `url` is built from it). */
export const STAGE_NAME = 'prod';

export interface ArbiterApiProps {
  handlers: Record<HandlerName, IFunction>;
}

/** `{id}` segments of a route path → required path parameters, for the request validator. */
function pathParameters(path: string): Record<string, boolean> {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  return Object.fromEntries(names.map((name) => [`method.request.path.${name}`, true]));
}

export class ArbiterApi extends Construct {
  readonly restApi: RestApi;
  /**
   * The stage's base URL, ending in `/`, built from the API id and the stage name rather than from
   * the Stage resource (as `restApi.url` is). A function that only puts the address in messages
   * (request-approval) then does not depend on the deployment, and through it on every method and
   * API handler: the workflow invokes request-approval, so that would forbid any API handler from
   * referencing the workflow (a cycle).
   */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ArbiterApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.restApi = new RestApi(this, 'RestApi', {
      description: 'Arbiter: coordination of optimization agents',
      endpointTypes: [EndpointType.REGIONAL],
      // The account-level role that lets API Gateway write execution logs (loggingLevel below).
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        tracingEnabled: true,
        throttlingRateLimit: THROTTLING.rateLimit,
        throttlingBurstLimit: THROTTLING.burstLimit,
      },
    });
    // The stack publishes the URL under a stable output name; drop the generated duplicate.
    this.restApi.node.tryRemoveChild('Endpoint');
    const stack = Stack.of(this);
    this.url = `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${STAGE_NAME}/`;
    this.addRoutes(props.handlers);
    this.answerErrorsLikeTheHandlers();
    this.acknowledgeAuthInLambdas();
  }

  private addRoutes(handlers: Record<HandlerName, IFunction>): void {
    // Without a model, body validation is a no-op (the handlers validate with zod); the
    // validator still rejects requests missing a declared path parameter.
    const validator = this.restApi.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const integrations = new Map<HandlerName, LambdaIntegration>();
    const integrationFor = (name: HandlerName) => {
      let integration = integrations.get(name);
      if (!integration) {
        // Proxy integration; the Lambda permission is scoped to each method. No console test-invoke.
        integration = new LambdaIntegration(handlers[name], { allowTestInvoke: false });
        integrations.set(name, integration);
      }
      return integration;
    };
    for (const route of ROUTES) {
      this.restApi.root.resourceForPath(route.path).addMethod(route.method, integrationFor(route.handler), {
        authorizationType: AuthorizationType.NONE,
        requestValidator: validator,
        requestParameters: pathParameters(route.path),
      });
    }
  }

  /** Errors API Gateway produces itself (429, validation, unknown route) use the API's `{ error }` shape. */
  private answerErrorsLikeTheHandlers(): void {
    const errorBody = { 'application/json': '{"error":$context.error.messageString}' };
    this.restApi.addGatewayResponse('Default4xx', { type: ResponseType.DEFAULT_4XX, templates: errorBody });
    this.restApi.addGatewayResponse('Default5xx', { type: ResponseType.DEFAULT_5XX, templates: errorBody });
    // With no API Gateway auth, "missing authentication token" only ever means no such route.
    this.restApi.addGatewayResponse('UnknownRoute', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: { 'application/json': '{"error":"not found"}' },
    });
  }

  private acknowledgeAuthInLambdas(): void {
    const publicRoutes = ROUTES.filter((r) => r.public && r.access !== 'agent-signature').map(routeKey);
    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Every route is authenticated inside its Lambda unless listed as public below. API-key routes: ' +
          'the Bearer key is hashed and looked up (admin, agent or approver scope, bound to one customer); ' +
          'an API Gateway authorizer would repeat that lookup on every call. Agent-signed routes carry no ' +
          "API key: their credential is the agent's HMAC-SHA256 signature over timestamp and body with its " +
          `registered signing secret, verified (timestamps more than ${SIGNATURE_TOLERANCE_SECONDS} s off are refused) by the executions Lambda; ` +
          'an authorizer could not check it, as it does not see the body. Public on purpose: the health ' +
          'check, the OpenAPI document and its reference page (/docs), and the emailed review links, whose credential is their HMAC ' +
          'signature (verified by the review Lambda). ' +
          `Agent-signed routes: ${AGENT_SIGNED_ROUTES.join(', ')}. Public routes: ${publicRoutes.join(', ')}.`,
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are agents and approvers holding Arbiter-issued API keys, and agents signing their step ' +
          'callbacks with Arbiter-issued secrets, not Cognito users; both are verified in the Lambdas (see APIG4).',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'No WAF web ACL in this stack: stage throttling bounds request rates and every non-public route ' +
          "needs a valid key or an agent's valid signature. The AWS managed common rule set would also block " +
          'coordination bodies above 8 KB, which the API accepts up to 256 KiB. An account can associate its ' +
          'own web ACL with the stage.',
      },
    );
    const cloudWatchRole = this.restApi.node.findChild('CloudWatchRole');
    Validations.of(cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The AWS-maintained policy for the account-level role API Gateway assumes to write execution logs; ' +
        'only apigateway.amazonaws.com can assume it, and AWS keeps its actions current.',
    });
  }
}
