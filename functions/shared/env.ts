// Environment, parsed once at cold start. Each handler asks only for what it uses; CDK sets
// the same names through lib/function-defaults.ts helpers that also grant the access.
import { z } from 'zod';

export const ENV_NAMES = {
  table: 'TABLE_NAME',
  adminKeySecretArn: 'ADMIN_KEY_SECRET_ARN',
  adminKey: 'ARBITER_ADMIN_KEY',
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  version: 'SERVICE_VERSION',
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
