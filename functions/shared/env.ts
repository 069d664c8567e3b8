// Environment, parsed once at cold start. Each handler asks only for what it uses; CDK sets
// the same names through the use... helpers in lib/ that also grant the access (useTable, useWorkflow...).
import * as z from 'zod';

export const ENV_NAMES = {
  table: 'TABLE_NAME',
  adminKeySecretArn: 'ADMIN_KEY_SECRET_ARN',
  adminKey: 'ARBITER_ADMIN_KEY',
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  version: 'SERVICE_VERSION',
  stateMachineArn: 'STATE_MACHINE_ARN',
  topicArn: 'TOPIC_ARN',
  linkSecretArn: 'LINK_SECRET_ARN',
  linkSecret: 'ARBITER_LINK_SECRET',
  publicApiUrl: 'PUBLIC_API_URL',
  stepFunctionsEndpoint: 'STEPFUNCTIONS_ENDPOINT',
  snsEndpoint: 'SNS_ENDPOINT',
  simulatedAgentsUrl: 'SIMULATED_AGENTS_URL',
  simulatedAgentsSecret: 'SIMULATED_AGENTS_SECRET',
  secretsKeyArn: 'SECRETS_KEY_ARN',
  secretsKey: 'ARBITER_SECRETS_KEY',
} as const;

const Env = z.object({
  TABLE_NAME: z.string().min(1),
  /** On AWS the admin key lives in Secrets Manager... */
  ADMIN_KEY_SECRET_ARN: z.string().min(1).optional(),
  /** ...locally it is given directly. */
  ARBITER_ADMIN_KEY: z.string().min(16).optional(),
  /** Only the local stack sets this (DynamoDB Local). */
  DYNAMODB_ENDPOINT: z.url().optional(),
  SERVICE_VERSION: z.string().default('0.1.0'),
  /** The recommendation workflow: started by coordinate, completed by approval decisions. */
  STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Approval requests and operator alerts are published here. */
  TOPIC_ARN: z.string().min(1).optional(),
  /** The HMAC key of emailed review links: Secrets Manager on AWS, given directly locally. */
  LINK_SECRET_ARN: z.string().min(1).optional(),
  ARBITER_LINK_SECRET: z.string().min(32).optional(),
  /** Base URL the review links point at (the API's URL on AWS, the local gateway locally). */
  PUBLIC_API_URL: z.url().optional(),
  /** Only the local stack sets these: its Step Functions engine and SNS outbox. */
  STEPFUNCTIONS_ENDPOINT: z.url().optional(),
  SNS_ENDPOINT: z.url().optional(),
  /** Local stack only: the simulated agents that run the steps of agents registered without an endpoint. */
  SIMULATED_AGENTS_URL: z.url().optional(),
  SIMULATED_AGENTS_SECRET: z.string().min(16).optional(),
  /** Agents' signing secrets are sealed in the table: on AWS under this KMS key (envelope)... */
  SECRETS_KEY_ARN: z.string().min(1).optional(),
  /** ...locally with AES-256-GCM under this 32-byte key (base64url), kept in ARBITER_DATA_DIR. */
  ARBITER_SECRETS_KEY: z
    .base64url()
    .refine((v) => Buffer.from(v, 'base64url').length === 32, 'must be 32 bytes')
    .optional(),
});
export type Env = z.infer<typeof Env>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = Env.safeParse(process.env);
    if (!parsed.success) {
      const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new Error(`invalid environment: ${names}`);
    }
    cached = parsed.data;
  }
  return cached;
}
