// POST /coordination/coordinate — an agent submits a batch of recommendations.
import { customerFor, requireRole } from '../core/access/principals.js';
import { authorizeSubmission } from '../core/access/submissions.js';
import { coordinate } from '../core/use-cases/coordinate.js';
import { authenticate } from '../shared/api-keys.js';
import { httpApi, type Implementations } from '../shared/http.js';
import { metrics } from '../shared/metrics.js';
import { logger } from '../shared/observability.js';
import { clock, ids, once } from '../shared/runtime.js';
import { stores } from '../shared/stores.js';
import { workflow } from '../shared/workflow.js';

const deps = once(() => ({ ...stores(), clock, ids, workflow, metrics }));

export const routes: Implementations<'coordinate'> = {
  async 'POST /coordination/coordinate'({ body, principal }) {
    requireRole(principal, 'agent');
    customerFor(principal, body.customer_id);
    const rt = deps();
    await authorizeSubmission(principal, body, rt.credentials);
    const result = await coordinate(body, rt);
    if (body.dry_run) return { status: 200, body: { dry_run: true, ...result } };
    logger.info('coordinated', {
      coordination_id: result.id,
      recommendation_ids: body.recommendations.map((r) => r.id),
      kept: result.recommendations.map((r) => r.id),
      conflicts: result.conflicts_detected,
    });
    return { status: 200, body: result };
  },
};

export const handler = httpApi('coordinate', routes, authenticate);
