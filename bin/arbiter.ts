// The CDK app: one Arbiter stack, checked against the AWS Solutions rules on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ArbiterStack } from '../lib/arbiter-stack.js';

const app = new App();
new ArbiterStack(app, 'Arbiter');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
