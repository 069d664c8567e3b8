// What scripts/validate-aws.sh relies on: cfn-lint's W3005 suppressed (with its reason) exactly on
// the resources whose DependsOn repeats the Role their GetAtt names, and scripts/validate-asl.ts
// failing a template whose embedded definition is not valid ASL.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Aspects } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ArbiterStack } from '../../lib/arbiter-stack.js';
import { CDK_JSON_CONTEXT } from '../../lib/cdk-context.js';
import { CfnLintSuppressions, W3005_REASON } from '../../lib/cfn-lint-suppressions.js';

type Json = any; // CloudFormation JSON

const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new ArbiterStack(app, 'Arbiter');
Aspects.of(stack).add(new CfnLintSuppressions());
const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Json> };
const dir = mkdtempSync(join(tmpdir(), 'arbiter-validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const roleIdOf = (resource: Json): string | undefined =>
  (resource.Properties.Role ?? resource.Properties.RoleArn)?.['Fn::GetAtt']?.[0];
const ignored = (resource: Json): string[] => resource.Metadata?.['cfn-lint']?.config?.ignore_checks ?? [];

describe('cfn-lint suppressions', () => {
  const resources = Object.entries(template.Resources);
  const redundant = resources.filter(
    ([, r]) => roleIdOf(r) !== undefined && [r.DependsOn ?? []].flat().includes(roleIdOf(r)),
  );

  it('suppress W3005, with the reason, on every function and state machine whose DependsOn repeats its Role', () => {
    expect(redundant.length).toBeGreaterThan(10);
    for (const [id, resource] of redundant) {
      expect(ignored(resource), id).toEqual(['W3005']);
      expect(resource.Metadata['cfn-lint'].reasons, id).toEqual({ W3005: W3005_REASON });
    }
    expect(redundant.map(([, r]) => r.Type)).toContain('AWS::StepFunctions::StateMachine');
  });

  it('suppress nothing anywhere else', () => {
    const others = resources.filter(([id]) => !redundant.some(([r]) => r === id));
    expect(others.filter(([, r]) => ignored(r).length > 0).map(([id]) => id)).toEqual([]);
  });
});

const validateAsl = (file: string) =>
  promisify(execFile)('node', ['--import', 'tsx', 'scripts/validate-asl.ts', file]).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

describe('scripts/validate-asl.ts', () => {
  it('passes the ASL file and the definition embedded in the template, its placeholders substituted', async () => {
    const file = join(dir, 'valid.json');
    writeFileSync(file, JSON.stringify(template));
    const { code, stdout } = await validateAsl(file);
    expect(stdout).toMatch(/^PASS asl-validator statemachines\/recommendation\.asl\.json$/m);
    expect(stdout).toMatch(/^PASS asl-validator .*valid\.json#WorkflowStateMachine\w+$/m);
    expect(code).toBe(0);
  });

  it('fails, with a non-zero exit, a definition that is not valid ASL or keeps a placeholder', async () => {
    const broken = structuredClone(template);
    const machine = Object.values(broken.Resources).find(
      (r: Json) => r.Type === 'AWS::StepFunctions::StateMachine',
    ) as Json;
    const definition = JSON.parse(machine.Properties.DefinitionString);
    const [first] = Object.keys(definition.States);
    definition.States[first].Next = 'No such state';
    delete definition.States[first].End;
    machine.Properties.DefinitionString = JSON.stringify(definition).replace('"Comment"', '"X":"${Unknown}","Comment"');
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const { code, stdout } = await validateAsl(file);
    expect(stdout).toMatch(
      /^FAIL asl-validator .*broken\.json#WorkflowStateMachine\w+: \$\{Unknown\} has no DefinitionSubstitutions entry/m,
    );
    expect(code).toBe(1);

    machine.Properties.DefinitionString = JSON.stringify(definition);
    writeFileSync(file, JSON.stringify(broken));
    const second = await validateAsl(file);
    expect(second.stdout).toMatch(/^FAIL asl-validator .*broken\.json#WorkflowStateMachine\w+: \[/m);
    expect(second.code).toBe(1);
  });
});
