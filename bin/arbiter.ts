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
const stack = new ArbiterStack(app, 'Arbiter');
Aspects.of(stack).add(new CfnLintSuppressions());
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
