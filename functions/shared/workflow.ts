// The recommendation workflow: Step Functions on AWS, the local stack's engine locally.
import { StepFunctionsWorkflow } from '../adapters/step-functions.js';
import { captureAwsClient } from '../adapters/xray.js';
import type { Workflow } from '../core/ports/workflow.js';
import { metrics } from './metrics.js';
import { clock, config, deferred, required } from './runtime.js';

export const workflow = deferred(() => {
  const real = new StepFunctionsWorkflow(required('STATE_MACHINE_ARN'), config().STEPFUNCTIONS_ENDPOINT);
  // The adapter makes its client privately; its calls become X-Ray subsegments all the same.
  // biome-ignore lint/complexity/useLiteralKeys: the element access is TypeScript's way to a private member
  captureAwsClient(real['client'], 'SFN');
  return stopsCounted(real);
});

/**
 * Every execution Arbiter stops itself is counted (ExecutionsStopped, at the time of the stop): the alarm on
 * Step Functions' ExecutionsAborted subtracts them, so only aborts nobody here asked for raise it.
 */
function stopsCounted<W extends Workflow>(inner: W): W {
  return new Proxy(inner, {
    get(target, member) {
      if (member === 'stop')
        return async (name: string, cause: string) => {
          await target.stop(name, cause);
          metrics.count('ExecutionsStopped', { at: clock.now() });
        };
      const value = Reflect.get(target, member, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
