// The `ops` topic: where the stack's CloudWatch alarms publish (state changes to ALARM and back to
// OK), for operators to subscribe to. CloudWatch cannot publish to a topic under the AWS-managed SNS
// key (its key policy admits only this account's principals and cannot be changed), so this topic
// has its own customer-managed key whose policy lets CloudWatch use it.
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key.js';

export const CLOUDWATCH_PRINCIPAL = 'cloudwatch.amazonaws.com';
/** What SNS asks KMS for on the publisher's behalf when a message is published to an encrypted topic. */
export const PUBLISH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

export class OpsTopic extends Construct {
  readonly key: CustomerManagedKey;
  readonly topic: Topic;
  /** Every alarm of the stack is named with this prefix; only alarms so named may publish here. */
  readonly alarmNamePrefix: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.alarmNamePrefix = `${stack.stackName}-`;
    this.key = new CustomerManagedKey(this, 'Key', {
      description: "Arbiter: encrypts the ops topic's alarm notifications",
      // SNS keeps a message only until it is delivered: nothing encrypted under this key outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Named by CloudFormation (Arbiter-OpsTopic…), like every resource that need not be found by name.
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Arbiter ops',
      masterKey: this.key.key,
      enforceSSL: true,
    });
    const cloudWatch = new ServicePrincipal(CLOUDWATCH_PRINCIPAL);
    // Who may publish: the topic policy, scoped to this account's alarms named for this stack (the
    // confused-deputy guard SNS documents for CloudWatch).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${this.alarmNamePrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // The key policy statement SNS documents for CloudWatch, without conditions: the key encrypts this
    // topic only, and the topic policy above already decides which alarms publish.
    this.key.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsUseKey',
        principals: [cloudWatch],
        actions: PUBLISH_KEY_ACTIONS,
        resources: ['*'],
      }),
    );
  }
}
