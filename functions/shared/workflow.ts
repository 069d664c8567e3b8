// The recommendation workflow: Step Functions on AWS, the local stack's engine locally.
import { StepFunctionsWorkflow } from '../adapters/step-functions.js';
import { config, deferred, required } from './runtime.js';

export const workflow = deferred(
  () => new StepFunctionsWorkflow(required('STATE_MACHINE_ARN'), config().STEPFUNCTIONS_ENDPOINT),
);
