// Approval requests and operator alerts: SNS on AWS, the local stack's outbox locally.
import { SnsNotifier } from '../adapters/sns-notifier.js';
import { captureAwsClient } from '../adapters/xray.js';
import { config, deferred, required } from './runtime.js';

export const notifier = deferred(() => {
  const real = new SnsNotifier(required('TOPIC_ARN'), config().SNS_ENDPOINT);
  // The adapter makes its client privately; its calls become X-Ray subsegments all the same.
  // biome-ignore lint/complexity/useLiteralKeys: the element access is TypeScript's way to a private member
  captureAwsClient(real['client'], 'SNS');
  return real;
});
