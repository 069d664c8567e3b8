// The Arbiter stack synthesized without bundling (assets are not needed to read the template),
// and small readers for what the tests look at.
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { ArbiterStack } from '../../lib/arbiter-stack.js';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context.js';

/**
 * With cdk.json's context (the feature flags), as the CLI would synthesize it.
 * `validate`: run CDK's built-in CloudFormation schema validation on synth. It costs ~3 s (WASM),
 * so only the test that checks validation findings turns it on.
 */
export function arbiterApp({ validate = false } = {}) {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: validate,
  });
  const stack = new ArbiterStack(app, 'Arbiter');
  return { app, stack };
}

export function synthArbiter() {
  const { app, stack } = arbiterApp();
  return { app, stack, template: Template.fromStack(stack) };
}

/** Logical id of an L2 construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

export type Json = any; // CloudFormation JSON as Template returns it

export function resourcesOfType(template: Template, type: string): Record<string, Json> {
  return template.findResources(type);
}

/** `{Ref: X}` or `{Fn::GetAtt: [X, ...]}` → X; anything else → undefined. */
export function referencedId(value: Json): string | undefined {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    if (Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  }
  return undefined;
}

/** An Fn::Join (or plain string) as text, with references written `<Id>` / `<Id.Attr>`. */
export function joined(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(joined).join(value['Fn::Join'][0]);
  if (value?.Ref) return `<${value.Ref}>`;
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
}

/**
 * Every Allow statement of the policies attached to a role, as `target → sorted actions`, where
 * `targetOf` names each resource (a readable name, or its joined text).
 */
export function permissionsOfRole(
  template: Template,
  roleId: string,
  targetOf: (resource: Json) => string,
): Record<string, string[]> {
  const permissions: Record<string, string[]> = {};
  for (const { Properties: policy } of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    if (!policy.Roles.some((role: Json) => referencedId(role) === roleId)) continue;
    for (const statement of policy.PolicyDocument.Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of [statement.Resource].flat()) {
        const target = targetOf(resource);
        permissions[target] = [...(permissions[target] ?? []), ...[statement.Action].flat()].sort();
      }
    }
  }
  return permissions;
}
