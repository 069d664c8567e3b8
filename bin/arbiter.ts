// The CDK app: one Arbiter stack, checked against the AWS Solutions rules on every synth, with
// cfn-lint's findings about CDK's own output suppressed (with reasons) where they occur.
// ARBITER_SYNTH_WITHOUT_ASSETS=1 skips bundling the functions: the template is the same, minus the
// bundles (what the validators in CI read, in seconds instead of a minute).
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ArbiterStack } from '../lib/arbiter-stack.js';
import { CfnLintSuppressions } from '../lib/cfn-lint-suppressions.js';

const withoutAssets = process.env.ARBITER_SYNTH_WITHOUT_ASSETS === '1';
const app = new App(withoutAssets ? { postCliContext: { 'aws:cdk:bundling-stacks': [] } } : {});
// A stage (`-c stage=dev`, or ARBITER_STAGE) lets several stacks share an account: `Arbiter-dev`. Without
// one the stack keeps its first name, `Arbiter`, so an existing deployment is updated, not duplicated.
const stage = (app.node.tryGetContext('stage') as string | undefined) ?? process.env.ARBITER_STAGE;
if (stage !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,30}$/.test(stage))
  throw new Error(`stage ${JSON.stringify(stage)}: a letter, then letters, digits or -, at most 31 characters`);
const stack = new ArbiterStack(app, stage ? `Arbiter-${stage}` : 'Arbiter');
Aspects.of(stack).add(new CfnLintSuppressions());
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
