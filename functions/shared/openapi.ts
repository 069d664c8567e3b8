// /openapi.json (OpenAPI 3.1), built from the route registry (routes.ts) and its answers (responses.ts):
// the same zod schemas the handlers validate with, so the document cannot drift from the code. The
// step request Arbiter sends to agents is a webhook, signed with the two headers agents verify.
import * as z from 'zod';
import {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  StepReportSchema,
  StepRequestSchema,
  TIMESTAMP_HEADER,
} from '../core/protocol/agent-steps.js';
import { RESPONSES, type SuccessResponse } from './responses.js';
import { REQUEST_EXAMPLES } from './route-examples.js';
import { type Access, needsKey, ROUTES, type Route, routeKey } from './routes.js';

type Json = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of what a client sends (`input`) or receives (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const WHO: Record<Access, string> = {
  admin: 'The admin key.',
  agent: "An agent's key (an orchestrator's may act for the customer's other agents).",
  approver: "The approver's own key.",
  reader: 'Any key of the customer (agent or approver), or the admin key naming `customer_id`.',
  'agent-signature': `No API key: signed with the agent's signing secret, as the step request is (headers ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER}).`,
  'signed-link': 'No API key: the emailed link carries its own signature and expiry.',
  public: 'Anyone.',
};

const SIGNATURE_PARAMETERS = [
  {
    name: SIGNATURE_HEADER,
    in: 'header',
    required: true,
    description: `\`v1=\` and the hex HMAC-SHA256, keyed with the agent's signing secret, of \`<timestamp>.<raw body>\``,
    schema: { type: 'string', pattern: '^v1=[0-9a-f]{64}$' },
  },
  {
    name: TIMESTAMP_HEADER,
    in: 'header',
    required: true,
    description: `Unix seconds when it was signed; more than ${SIGNATURE_TOLERANCE_SECONDS} s off is refused`,
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
];

const ERROR = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR } } });

function parameters(route: Route): Json[] {
  const fields = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return [];
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    return Object.entries(object.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      schema: property,
    }));
  };
  return [
    ...fields(route.params, 'path'),
    ...fields(route.query, 'query'),
    ...(route.access === 'agent-signature' ? SIGNATURE_PARAMETERS : []),
  ];
}

function requestBody(route: Route): Json | undefined {
  if (!route.body) return undefined;
  const type = route.bodyType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  const example = REQUEST_EXAMPLES[routeKey(route) as keyof typeof REQUEST_EXAMPLES];
  return { required: true, content: { [type]: { schema: jsonSchema(route.body, 'input'), example } } };
}

function successes(route: Route, answers: readonly SuccessResponse[]): Json {
  const type = route.produces ?? 'application/json';
  return Object.fromEntries(
    answers.map((a) => [
      String(a.status),
      {
        description: a.description,
        content: { [type]: { schema: jsonSchema(a.schema, 'output'), example: a.example } },
      },
    ]),
  );
}

function operation(route: Route): Json {
  const key = needsKey(route);
  return {
    operationId: operationId(route),
    summary: route.summary,
    description: `Who may call: ${WHO[route.access]}`,
    tags: [route.tag],
    security: key ? [{ bearer: [] }] : [],
    parameters: parameters(route),
    ...(route.body ? { requestBody: requestBody(route) } : {}),
    responses: {
      ...successes(route, RESPONSES[routeKey(route) as keyof typeof RESPONSES]),
      ...(route.params || route.query || route.body
        ? { '400': errorResponse('Bad input: `details` names every bad field') }
        : {}),
      ...(key || route.access !== 'public' ? { '401': errorResponse('No valid credential') } : {}),
      default: errorResponse('Any other error, as `{ error, details? }`'),
    },
  };
}

/** `GET /coordination/plans/{id}` → `getCoordinationPlansId`. */
function operationId(route: Route): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

const STEP_REQUEST_WEBHOOK = {
  post: {
    operationId: 'stepRequest',
    summary: "A step Arbiter asks an agent to run (POSTed to the agent's endpoint_url)",
    description:
      'Verify the signature before acting. Answer 200 with the result, or 202 and report later to the ' +
      '`callback_url` (POST /coordination/steps/{id}/callback), signing the callback the same way. ' +
      '`mode: rollback` asks to undo a completed step with its `rollback_data`.',
    tags: ['Agents'],
    parameters: SIGNATURE_PARAMETERS,
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: jsonSchema(StepRequestSchema, 'output'),
          example: {
            step_id: 'rec-rightsize-web-01-step-0',
            plan_id: 'plan-rec-rightsize-web-01',
            recommendation_id: 'rec-rightsize-web-01',
            customer_id: 'acme',
            action: 'resize_instances',
            mode: 'execute',
            parameters: { target_type: 'm5.large' },
            callback_url:
              'https://api.example/prod/coordination/steps/rec-rightsize-web-01-step-0/callback?dispatch=Zk3',
          },
        },
      },
    },
    responses: {
      '200': {
        description: 'Done: the result (and what undoing it needs)',
        content: {
          'application/json': {
            schema: jsonSchema(StepReportSchema, 'input'),
            example: { status: 'completed', result: { resized: 3 }, rollback_data: { previous_type: 'm5.2xlarge' } },
          },
        },
      },
      '202': { description: 'Accepted: the agent reports to callback_url when done' },
    },
  },
};

export function openApiDocument(version: string) {
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Arbiter',
      version,
      description:
        'Coordinates optimization agents: conflicts, approvals, execution with rollback. ' +
        'Send API keys as `Authorization: Bearer <key>`.',
    },
    tags: ['Coordination', 'Approvals', 'Execution', 'Admin', 'Service', 'Agents'].map((name) => ({ name })),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: { type: 'string' },
            details: {
              type: 'array',
              items: {
                type: 'object',
                required: ['field', 'message'],
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    paths,
    webhooks: { stepRequest: STEP_REQUEST_WEBHOOK },
  };
}
