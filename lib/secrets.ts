// Generated secrets in Secrets Manager: the admin API key and the HMAC key of emailed review links.
// A function reads one only if the stack gives it with useAdminKey / useLinkSecret.
import { Validations } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../functions/shared/env.js';

interface GeneratedSecretProps {
  description: string;
  length: number;
  /** Why it is rotated by hand rather than by a rotation Lambda (cdk-nag SMG4). */
  whyRotatedByHand: string;
}

/** A random string of letters and digits, so it can be pasted into a header or a shell unquoted. */
abstract class GeneratedSecret extends Construct {
  readonly secret: Secret;

  protected constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: props.description,
      generateSecretString: { passwordLength: props.length, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.whyRotatedByHand });
  }
}

export class AdminKey extends GeneratedSecret {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'Arbiter admin API key: Authorization: Bearer <value> on /admin routes',
      length: 48,
      whyRotatedByHand:
        'The admin key is an operator credential handed out of band, not a service password. ' +
        'It is rotated deliberately by putting a new value (put-secret-value) and telling the operators; ' +
        'automatic rotation would silently lock every operator out.',
    });
  }
}

export class LinkSecret extends GeneratedSecret {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'Arbiter review-link key: HMAC-SHA256 over approval id, approver and expiry in emailed links',
      // 64 letters and digits: about 380 bits, more than the 256 an HMAC-SHA256 key can use.
      length: 64,
      whyRotatedByHand:
        'The key signs review links that stay valid until their approval expires; a scheduled rotation would ' +
        'invalidate every link still in an inbox. It is rotated deliberately (put-secret-value) when no ' +
        'approval is pending, or accepting that pending approvers then decide through the API instead.',
    });
  }
}

/** Sets `envName` to the secret's ARN and grants GetSecretValue on that secret only (no DescribeSecret). */
function useSecret(fn: LambdaFunction, envName: string, { secret }: GeneratedSecret): void {
  fn.addEnvironment(envName, secret.secretArn);
  Grant.addToPrincipal({ grantee: fn, actions: ['secretsmanager:GetSecretValue'], resourceArns: [secret.secretArn] });
}

/** ADMIN_KEY_SECRET_ARN, and GetSecretValue on the admin key. */
export function useAdminKey(fn: LambdaFunction, adminKey: AdminKey): void {
  useSecret(fn, ENV_NAMES.adminKeySecretArn, adminKey);
}

/** LINK_SECRET_ARN, and GetSecretValue on the review-link key. */
export function useLinkSecret(fn: LambdaFunction, linkSecret: LinkSecret): void {
  useSecret(fn, ENV_NAMES.linkSecretArn, linkSecret);
}
