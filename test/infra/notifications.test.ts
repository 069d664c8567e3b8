import { describe, expect, it } from 'vitest';
import { TOPIC_KEY_ALIAS } from '../../lib/notifications.js';
import { type Json, joined, logicalId, referencedId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const topicId = logicalId(stack.notifications.topic);
const topics = resourcesOfType(template, 'AWS::SNS::Topic');

describe('notification topic', () => {
  it('is one of two topics (the other is ops, for alarms), encrypted with the AWS-managed SNS key', () => {
    expect(Object.keys(topics).sort()).toEqual([topicId, logicalId(stack.ops.topic)].sort());
    expect(TOPIC_KEY_ALIAS).toBe('alias/aws/sns');
    // CDK names the alias by its ARN, which SNS accepts like the alias name.
    expect(joined(topics[topicId].Properties.KmsMasterKeyId)).toBe(
      `arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:${TOPIC_KEY_ALIAS}`,
    );
  });

  it('refuses every request not made over TLS', () => {
    const policies = Object.values(resourcesOfType(template, 'AWS::SNS::TopicPolicy')).map((p: Json) => p.Properties);
    const forTopic = policies.filter((p) => p.Topics.some((t: Json) => referencedId(t) === topicId));
    const statements = forTopic.flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { Ref: topicId },
      }),
    );
  });

  it('has no subscription in the template: approvers are subscribed at run time, each with a filter policy', () => {
    expect(resourcesOfType(template, 'AWS::SNS::Subscription')).toEqual({});
  });

  it('is published as an output, as is the state machine', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.TopicArn.Value).toEqual({ Ref: topicId });
    expect(outputs.StateMachineArn.Value).toEqual(stack.resolve(stack.workflow.stateMachineArn));
  });
});
