// The one SNS topic for approval requests and operator alerts. Approval requests go one message per
// approver; each approver's email subscription (made at run time by the admin function) filters on
// the message's `approver` attribute, so nobody receives another approver's signed link.
import { Grant } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../functions/shared/env.js';

export const TOPIC_ACCESS = {
  publish: 'sns:Publish',
  /** Subscribing an approver also sets the subscription's filter policy (an attribute of Subscribe). */
  subscribe: 'sns:Subscribe',
  /** The health check: is the topic there. */
  probe: 'sns:GetTopicAttributes',
} as const;
export type TopicAccess = keyof typeof TOPIC_ACCESS;

/** The AWS-managed SNS key. */
export const TOPIC_KEY_ALIAS = 'alias/aws/sns';

export class NotificationTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      // The sender name approvers see in their inbox.
      displayName: 'Arbiter',
      // Messages carry signed review links. The AWS-managed key's policy lets any principal of this
      // account use it through SNS, so publishers need sns:Publish only, and there is no key to run.
      // Only Arbiter's Lambdas publish: AWS services (CloudWatch alarms, EventBridge) cannot use this
      // key; alerts from them would need a customer-managed key whose policy admits their service.
      masterKey: Alias.fromAliasName(this, 'Key', TOPIC_KEY_ALIAS),
      // A topic policy denying every request not made over TLS.
      enforceSSL: true,
    });
  }

  /** Exactly the actions of `access`, on this topic only. */
  grant(fn: LambdaFunction, access: readonly TopicAccess[]): void {
    Grant.addToPrincipal({
      grantee: fn,
      actions: access.map((a) => TOPIC_ACCESS[a]),
      resourceArns: [this.topic.topicArn],
    });
  }
}

/** Sets TOPIC_ARN and grants `access` on the topic. */
export function useTopic(fn: LambdaFunction, notifications: NotificationTopic, access: readonly TopicAccess[]): void {
  fn.addEnvironment(ENV_NAMES.topicArn, notifications.topic.topicArn);
  notifications.grant(fn, access);
}
