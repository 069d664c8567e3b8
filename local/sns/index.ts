// The local SNS topic: the SNS API (AWS Query) over HTTP, so the handlers' SnsNotifier (SNS_ENDPOINT)
// works unchanged; what it is sent lands in an outbox that /local/outbox shows.
import { startStandInServer } from '../stand-in-server.js';
import { snsActions } from './actions.js';
import { Outbox } from './outbox.js';
import { answerQueryRequest } from './query-protocol.js';

export type { FilterPolicy, OutboxMessage, Subscription } from './outbox.js';
export { Outbox } from './outbox.js';
export { OUTBOX_PATH, outboxRoutes } from './outbox-routes.js';

export const TOPIC_ARN = 'arn:aws:sns:local:000000000000:arbiter-notifications';

export interface SnsLocal {
  endpoint: string;
  topicArn: string;
  outbox: Outbox;
  close(): Promise<void>;
}

/** Default port 0: a free one. */
export async function startSnsLocal(options: { port?: number } = {}): Promise<SnsLocal> {
  const outbox = new Outbox(TOPIC_ARN);
  const actions = snsActions(outbox);
  const server = await startStandInServer('sns', options.port ?? 0, (request) => answerQueryRequest(request, actions));
  return { endpoint: server.endpoint, topicArn: TOPIC_ARN, outbox, close: () => server.close() };
}
