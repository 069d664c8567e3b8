// The admin API key: a random string in Secrets Manager. Only the admin function may read it.
import { Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export class AdminKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Arbiter admin API key: Authorization: Bearer <value> on /admin routes',
      // Letters and digits only, so it can be pasted into a header or a shell unquoted.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The admin key is an operator credential handed out of band, not a service password. ' +
        'It is rotated deliberately by putting a new value (put-secret-value) and telling the operators; ' +
        'automatic rotation would silently lock every operator out.',
    });
  }

  /** GetSecretValue on this secret only (no DescribeSecret, no other secrets). */
  grantGetValue(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [this.secret.secretArn],
    });
  }
}
