// A customer-managed KMS key as Arbiter makes them: yearly automatic rotation, a description saying
// what it protects, and a removal policy chosen for what is lost with it. The secrets key and the
// ops topic's key are both one of these.
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface CustomerManagedKeyProps {
  /** What the key protects (shown in the KMS console). */
  description: string;
  /** RETAIN when data encrypted under it outlives the stack; DESTROY when nothing would be left to read. */
  removalPolicy: RemovalPolicy;
}

export class CustomerManagedKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
  }
}
