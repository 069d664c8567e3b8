// GET /health and GET /openapi.json — public, no key needed, nothing about any customer.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { httpApi, route } from '../shared/http.js';
import { openApiDocument } from '../shared/openapi.js';
import { runtime } from '../shared/runtime.js';

type ComponentHealth = { status: 'healthy' | 'unhealthy' | 'not_configured'; latency_ms?: number; error?: string };

async function databaseHealth(): Promise<ComponentHealth> {
  const rt = runtime();
  const started = Date.now();
  try {
    await rt.db.send(new GetCommand({ TableName: rt.config.TABLE_NAME, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
    return { status: 'healthy', latency_ms: Date.now() - started };
  } catch (error) {
    return { status: 'unhealthy', latency_ms: Date.now() - started, error: (error as Error).name };
  }
}

export const routes = {
  'GET /health': route({
    auth: 'public',
    async run() {
      const database = await databaseHealth();
      // The workflow and notification parts arrive with the approval and execution features.
      const components = { database, workflow: { status: 'not_configured' }, notifications: { status: 'not_configured' } };
      const healthy = database.status === 'healthy';
      return {
        status: healthy ? 200 : 503,
        body: { status: healthy ? 'healthy' : 'unhealthy', service: 'arbiter', version: runtime().config.SERVICE_VERSION, timestamp: new Date().toISOString(), components },
      };
    },
  }),

  'GET /openapi.json': route({
    auth: 'public',
    async run() {
      return { status: 200, body: openApiDocument(runtime().config.SERVICE_VERSION) };
    },
  }),
};

export const handler = httpApi(routes, () => runtime().authenticate);
