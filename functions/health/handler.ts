// GET /health, GET /openapi.json and its reference page GET /docs — public, no key needed, nothing about any customer.
import { docsAsset, docsPage } from '../shared/docs-page.js';
import { httpApi, type Implementations } from '../shared/http.js';
import { notifier as topic } from '../shared/notifier.js';
import { openApiDocument } from '../shared/openapi.js';
import { noApiKeys } from '../shared/public-routes.js';
import { config, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { workflow as stateMachine } from '../shared/workflow.js';

type ComponentHealth = { status: 'healthy' | 'unhealthy'; latency_ms: number; error?: string };

async function probe(check: () => Promise<unknown>): Promise<ComponentHealth> {
  const started = Date.now();
  try {
    const ok = await check();
    return ok === false
      ? { status: 'unhealthy', latency_ms: Date.now() - started, error: 'not available' }
      : { status: 'healthy', latency_ms: Date.now() - started };
  } catch (error) {
    // The error's name only: a health page is public.
    return { status: 'unhealthy', latency_ms: Date.now() - started, error: (error as Error).name };
  }
}

// The same for every request an instance serves: built on the first.
const apiDocument = once(() => openApiDocument(config().SERVICE_VERSION));

export const routes: Implementations<'health'> = {
  async 'GET /health'() {
    const { recommendations } = stores();
    const [database, workflow, notifications] = await Promise.all([
      probe(() => recommendations.isAvailable()),
      probe(() => stateMachine.isAvailable()),
      probe(() => topic.isAvailable()),
    ]);
    // Without the database nothing works (503); without the workflow or notifications, reads and
    // coordination still do, approvals and execution wait (degraded).
    const status =
      database.status !== 'healthy'
        ? 'unhealthy'
        : workflow.status === 'healthy' && notifications.status === 'healthy'
          ? 'healthy'
          : 'degraded';
    return {
      status: status === 'unhealthy' ? 503 : 200,
      body: {
        status,
        service: 'arbiter',
        version: config().SERVICE_VERSION,
        timestamp: new Date().toISOString(),
        components: { database, workflow, notifications },
      },
    };
  },

  'GET /docs': async () => docsPage(),

  'GET /docs/{asset}': async ({ path }) => docsAsset(path.asset),

  async 'GET /openapi.json'() {
    return { status: 200, body: apiDocument() };
  },
};

export const handler = httpApi('health', routes, noApiKeys);
