// Approval requests and operator alerts: SNS on AWS, the local stack's outbox locally.
import { SnsNotifier } from '../adapters/sns-notifier.js';
import { config, deferred, required } from './runtime.js';

export const notifier = deferred(() => new SnsNotifier(required('TOPIC_ARN'), config().SNS_ENDPOINT));
