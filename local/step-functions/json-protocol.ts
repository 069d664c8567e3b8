// AWS JSON 1.0, the wire protocol of Step Functions: POST / with `X-Amz-Target: AWSStepFunctions.<Operation>`
// and a JSON body. Errors are 400s whose `__type` (and x-amzn-errortype) names the exception the
// SDK then throws (ExecutionDoesNotExist, TaskTimedOut, ...).
import { ServiceError, type StandInReply, type StandInRequest } from '../stand-in-server.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AWSStepFunctions.';
const ERROR_NAMESPACE = 'com.amazonaws.states';

export type Operation = (request: Record<string, unknown>) => object;

/** Timestamps travel as epoch seconds. */
function serialize(value: object): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, converted: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : converted;
  });
}

function errorReply(error: ServiceError): StandInReply {
  return {
    statusCode: error.statusCode,
    contentType: CONTENT_TYPE,
    headers: { 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: `${ERROR_NAMESPACE}#${error.code}`, message: error.message }),
  };
}

function parseBody(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ServiceError('SerializationException', 'the request body is not a JSON object');
}

export async function answerJsonRequest(
  request: StandInRequest,
  operations: Readonly<Record<string, Operation>>,
): Promise<StandInReply> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (request.method !== 'POST' || !operation) {
      throw new ServiceError('UnknownOperationException', `unknown operation ${target || '(no X-Amz-Target)'}`);
    }
    return { statusCode: 200, contentType: CONTENT_TYPE, body: serialize(operation(parseBody(request.body))) };
  } catch (error) {
    if (error instanceof ServiceError) return errorReply(error);
    throw error;
  }
}

/** A string member the operation cannot do without, as the service's validation words it. */
export function requiredString(request: Record<string, unknown>, member: string): string {
  const value = request[member];
  if (typeof value === 'string' && value.length > 0) return value;
  throw new ServiceError(
    'ValidationException',
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

export function optionalString(request: Record<string, unknown>, member: string): string | undefined {
  const value = request[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new ServiceError('ValidationException', `1 validation error detected: Value at '${member}' must be a string`);
}
