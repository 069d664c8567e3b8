// The HTTP side of a local AWS service stand-in (Step Functions, SNS): one POST per call, answered
// by a function of the request. The protocols themselves live with each stand-in.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { profileStandIn } from './profiling.js';

export interface StandInRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Sent back as x-amzn-requestid, which the SDK reads into `$metadata.requestId`. */
  requestId: string;
}

export interface StandInReply {
  statusCode: number;
  contentType: string;
  headers?: Record<string, string>;
  body: string;
}

/** An error the service reports to the caller: `code` names it as the SDK knows it (TaskTimedOut, NotFound). */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export interface StandInServer {
  endpoint: string;
  close(): Promise<void>;
}

/** The operation a call names: `X-Amz-Target: AWSStepFunctions.StartExecution`, or the Query protocol's `Action=Publish`. */
function operationOf(request: StandInRequest): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').at(-1) ?? target;
  return /(?:^|&)Action=([A-Za-z]+)/.exec(request.body)?.[1] ?? 'unknown';
}

export async function startStandInServer(
  name: string,
  port: number,
  answer: (request: StandInRequest) => Promise<StandInReply>,
): Promise<StandInServer> {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const requestId = randomUUID();
    const request = {
      method: req.method ?? 'GET',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      requestId,
    };
    const reply = await profileStandIn(
      () => `${name} ${operationOf(request)}`,
      () => answer(request),
    );
    res.writeHead(reply.statusCode, {
      'content-type': reply.contentType,
      'x-amzn-requestid': requestId,
      ...reply.headers,
    });
    res.end(reply.body);
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`[${name}] request failed:`, error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
