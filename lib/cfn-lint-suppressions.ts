// cfn-lint's findings that the CDK's own output causes, suppressed where they occur and nowhere
// else, each with its reason in the template (Metadata.cfn-lint), so `cfn-lint` stays at zero.
import { CfnResource, type IAspect, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';

export const W3005_REASON =
  "The CDK makes a Function or State Machine DependsOn its Role and the Role's default policy, so the policy exists before the first run; the GetAtt of the Role already orders them, and W3005 only calls that DependsOn redundant.";

/** Where a GetAtt or Ref points, as a logical id. */
function referencedLogicalId(stack: Stack, value: unknown): string | undefined {
  const resolved = stack.resolve(value) as { 'Fn::GetAtt'?: [string, string]; Ref?: string } | undefined;
  return resolved?.['Fn::GetAtt']?.[0] ?? resolved?.Ref;
}

/** The logical ids of what a construct was made to depend on (construct dependencies become DependsOn at synth). */
function dependedOnLogicalIds(stack: Stack, resource: CfnResource): Set<string> {
  const ids = new Set<string>();
  const owners = [resource, resource.node.scope].filter((c): c is IConstruct => c !== undefined);
  for (const dependency of owners.flatMap((owner) => owner.node.dependencies)) {
    for (const child of dependency.node.findAll()) {
      if (CfnResource.isCfnResource(child)) ids.add(stack.resolve(child.logicalId) as string);
    }
  }
  for (const dependency of resource.obtainDependencies()) {
    if (CfnResource.isCfnResource(dependency)) ids.add(stack.resolve(dependency.logicalId) as string);
  }
  return ids;
}

function suppress(resource: CfnResource, check: string, reason: string): void {
  const existing = (resource.getMetadata('cfn-lint') ?? {}) as {
    config?: { ignore_checks?: string[] };
    reasons?: Record<string, string>;
  };
  resource.addMetadata('cfn-lint', {
    ...existing,
    config: { ...existing.config, ignore_checks: [...new Set([...(existing.config?.ignore_checks ?? []), check])] },
    // cfn-lint reads `config` only; the reasons sit beside it for the reader.
    reasons: { ...existing.reasons, [check]: reason },
  });
}

/** The property that names the execution role, for the resources the CDK makes depend on theirs. */
function roleOf(node: IConstruct): [CfnResource, unknown] | undefined {
  if (node instanceof CfnFunction) return [node, node.role];
  if (node instanceof CfnStateMachine) return [node, node.roleArn];
  return undefined;
}

/** W3005 on each function or state machine whose DependsOn names the Role its role property already GetAtts. */
export class CfnLintSuppressions implements IAspect {
  visit(node: IConstruct): void {
    const found = roleOf(node);
    if (!found) return;
    const [resource, roleProperty] = found;
    const stack = Stack.of(resource);
    const role = referencedLogicalId(stack, roleProperty);
    if (role && dependedOnLogicalIds(stack, resource).has(role)) suppress(resource, 'W3005', W3005_REASON);
  }
}
