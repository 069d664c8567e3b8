// An agent for Arbiter, written with the agent kit only: a volume agent on AGENT_PORT (default 8080).
//
//   ARBITER_SIGNING_SECRET=<the signing_secret from registration> node --import tsx examples/agent/index.ts
//
// Register it first with its URL as endpoint_url (`arbiter agents register --endpoint ...`).
// POST /  takes Arbiter's signed steps; GET /volumes shows what the agent manages.
import { createServer } from 'node:http';
import { createAgentHandler } from 'arbiter/agent';
import { Volumes, volumeAgent } from './volumes.js';

const secret = process.env.ARBITER_SIGNING_SECRET;
if (!secret) {
  console.error('set ARBITER_SIGNING_SECRET to the signing_secret Arbiter gave when the agent was registered');
  process.exit(2);
}
const host = process.env.AGENT_HOST ?? '127.0.0.1';
const port = Number(process.env.AGENT_PORT ?? 8080);

const volumes = new Volumes();
const steps = createAgentHandler({
  // During a key rotation's grace period, give both: ARBITER_SIGNING_SECRET=new,old
  secret: secret.split(','),
  ...volumeAgent(volumes, { snapshotMs: Number(process.env.SNAPSHOT_MS ?? 2000) }),
  onError: (step, error) => console.error(`${step.step_id} ${step.action} failed:`, error),
  onCallback: (step, outcome) =>
    console.log(
      `${step.step_id} ${step.mode} ${step.action}: callback ${outcome.delivered ? 'delivered' : `not delivered (${outcome.status ?? outcome.error})`}`,
    ),
});

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/volumes') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(volumes.list()));
    return;
  }
  steps(request, response);
});

server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(`example agent listening on http://${host}:${actual}`);
});

async function stop(): Promise<void> {
  server.close();
  await steps.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
