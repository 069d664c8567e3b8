// The local SNS topic: the SNS API (AWS Query) over HTTP, so the handlers' SnsNotifier (SNS_ENDPOINT)
// works unchanged; what it is sent lands in an outbox that /local/outbox shows.

import { resolve } from 'node:path';
import { startStandInServer } from '../stand-in-server.js';
import { snsActions } from './actions.js';
import { Outbox } from './outbox.js';
import { outboxFile } from './outbox-file.js';
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

export interface SnsLocalOptions {
  /** Default 0: a free one. */
  port?: number;
  /** Where the outbox is kept across restarts. Default: ARBITER_DATA_DIR; null or unset: in memory. */
  dataPath?: string | null;
}

export async function startSnsLocal(options: SnsLocalOptions = {}): Promise<SnsLocal> {
  const dataPath = options.dataPath === undefined ? process.env.ARBITER_DATA_DIR : options.dataPath;
  const outbox = new Outbox(TOPIC_ARN, dataPath ? outboxFile(resolve(dataPath)) : undefined);
  const actions = snsActions(outbox);
  const server = await startStandInServer('sns', options.port ?? 0, (request) => answerQueryRequest(request, actions));
  return { endpoint: server.endpoint, topicArn: TOPIC_ARN, outbox, close: () => server.close() };
}
