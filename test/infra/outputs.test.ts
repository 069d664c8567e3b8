// Every output is named: exported as `<stack name>-<id>`, so two stages' stacks in one account (Arbiter-dev,
// Arbiter-prod) never export the same name.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ArbiterStack } from '../../lib/arbiter-stack.js';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context.js';

function exportsOf(stackName: string): Record<string, string> {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const outputs = Template.fromStack(new ArbiterStack(app, stackName)).toJSON().Outputs as Record<
    string,
    { Export?: { Name: string } }
  >;
  return Object.fromEntries(Object.entries(outputs).map(([id, output]) => [id, output.Export?.Name ?? '']));
}

describe('stack outputs', () => {
  it('exports every output under the stack name, so stages do not collide', () => {
    const dev = exportsOf('Arbiter-dev');
    const prod = exportsOf('Arbiter-prod');
    expect(Object.keys(dev)).toEqual(expect.arrayContaining(['ApiUrl', 'AdminKeySecretArn', 'OpsTopicArn']));
    for (const [id, name] of Object.entries(dev)) expect(name).toBe(`Arbiter-dev-${id}`);
    const shared = Object.values(dev).filter((name) => Object.values(prod).includes(name));
    expect(shared).toEqual([]);
  });
});
