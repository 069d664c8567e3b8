// The ops topic: its own customer-managed key, whose policy lets CloudWatch alarms publish, and a
// topic policy admitting exactly this account's alarms of this stack.
import { describe, expect, it } from 'vitest';
import { CLOUDWATCH_PRINCIPAL, PUBLISH_KEY_ACTIONS } from '../../lib/ops-topic.js';
import { type Json, joined, logicalId, referencedId, resourcesOfType, synthArbiter } from './arbiter-app.js';

const { stack, template } = synthArbiter();
const topicId = logicalId(stack.ops.topic);
const keyId = logicalId(stack.ops.key.key);
const topic = resourcesOfType(template, 'AWS::SNS::Topic')[topicId];
const keys = resourcesOfType(template, 'AWS::KMS::Key');
const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map((a: Json) => a.Properties);

const topicStatements = Object.values(resourcesOfType(template, 'AWS::SNS::TopicPolicy'))
  .map((p: Json) => p.Properties)
  .filter((p) => p.Topics.some((t: Json) => referencedId(t) === topicId))
  .flatMap((p) => p.PolicyDocument.Statement);
const keyStatements: Json[] = keys[keyId].Properties.KeyPolicy.Statement;
const forCloudWatch = (s: Json) => s.Principal?.Service === CLOUDWATCH_PRINCIPAL;

describe('ops topic', () => {
  it('is encrypted with its own customer-managed key, rotated yearly, not the secrets key', () => {
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(keyId).not.toBe(logicalId(stack.secretsKey.key));
    expect(keys[keyId].Properties.EnableKeyRotation).toBe(true);
  });

  it("lets CloudWatch use the key to publish, and nothing else that key's policy does not already give the account", () => {
    const grants = keyStatements.filter(forCloudWatch);
    expect(grants).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: '*' })]);
    expect([grants[0].Action].flat().sort()).toEqual([...PUBLISH_KEY_ACTIONS].sort());
    expect(PUBLISH_KEY_ACTIONS).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    // The rest is CDK's default: the account administers the key.
    expect(keyStatements.filter((s) => !forCloudWatch(s))).toEqual([
      expect.objectContaining({ Action: 'kms:*', Principal: { AWS: expect.anything() } }),
    ]);
  });

  it("lets only this account's alarms of this stack publish, over TLS only", () => {
    const publish = topicStatements.filter(forCloudWatch);
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId } });
    expect(publish[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    const pattern = joined(publish[0].Condition.ArnLike['aws:SourceArn']);
    expect(pattern).toBe('arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:Arbiter-*');
    expect(topicStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('admits every alarm of the stack by its name', () => {
    const prefix = pattern()
      .replace(/^.*:alarm:/, '')
      .replace(/\*$/, '');
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.AlarmName.startsWith(prefix), alarm.AlarmName).toBe(true);
  });

  it('is published as the OpsTopicArn output', () => {
    expect(template.toJSON().Outputs.OpsTopicArn.Value).toEqual({ Ref: topicId });
  });
});

function pattern(): string {
  return joined(topicStatements.find(forCloudWatch).Condition.ArnLike['aws:SourceArn']);
}

describe('customer-managed keys', () => {
  it('are the secrets key and the ops key, both rotated', () => {
    expect(Object.keys(keys).sort()).toEqual([keyId, logicalId(stack.secretsKey.key)].sort());
    for (const key of Object.values(keys)) expect((key as Json).Properties.EnableKeyRotation).toBe(true);
  });

  it('keep the secrets key under its logical id and kept on delete: a new key could open no sealed secret', () => {
    const secretsKey = keys.SecretsKey0D2EC683;
    expect(secretsKey?.DeletionPolicy).toBe('Retain');
    expect(secretsKey?.UpdateReplacePolicy).toBe('Retain');
  });

  it('delete the ops key with the stack: SNS keeps nothing encrypted under it once delivered', () => {
    expect(keys[keyId].DeletionPolicy).toBe('Delete');
  });
});
