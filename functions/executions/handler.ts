// POST /coordination/plans/{id}/execute (an agent asks to run an approved plan) and
// POST /coordination/steps/{id}/callback (an agent reports a step it accepted with 202).
import { customerFor, requireRole } from '../core/access/principals.js';
import { Unauthenticated } from '../core/model/errors.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../core/protocol/agent-steps.js';
import { acceptCallback } from '../core/use-cases/accept-callback.js';
import { MAX_REPORT_BYTES, reportOutput } from '../core/use-cases/dispatch-step.js';
import { requestExecution } from '../core/use-cases/request-execution.js';
import { resolveTarget } from '../shared/agents.js';
import { authenticate } from '../shared/api-keys.js';
import { PayloadTooLarge } from '../shared/errors.js';
import { header, httpApi, type Implementations, rawBody } from '../shared/http.js';
import { metrics } from '../shared/metrics.js';
import { logger } from '../shared/observability.js';
import { clock, once } from '../shared/runtime.js';
import { sealedStores } from '../shared/sealed-stores.js';
import { workflow } from '../shared/workflow.js';

// A callback is verified with its agent's signing secret, opened here.
const deps = once(() => ({ ...sealedStores(), clock, workflow, resolveTarget, metrics }));

export const routes: Implementations<'executions'> = {
  async 'POST /coordination/plans/{id}/execute'({ path, query, principal }) {
    requireRole(principal, 'agent');
    const customerId = customerFor(principal, query.customer_id);
    const plan = await requestExecution(customerId, path.id, deps());
    logger.info('execution requested', { plan_id: plan.id, recommendation_id: plan.recommendation_id });
    return { status: 202, body: { message: 'Execution started', plan_id: plan.id } };
  },

  async 'POST /coordination/steps/{id}/callback'({ path, query, body, event }) {
    // Name the missing header: "the signature does not match" would send the agent after its secret.
    for (const name of [SIGNATURE_HEADER, TIMESTAMP_HEADER])
      if (!header(event, name))
        throw new Unauthenticated(`missing ${name} header: sign the callback as the step request is signed`);
    // Refused before anything is checked or accepted: the workflow could not carry it anyway.
    const size = reportOutput(body).bytes;
    if (size > MAX_REPORT_BYTES)
      throw new PayloadTooLarge(
        `result and rollback_data are ${size} bytes; at most ${MAX_REPORT_BYTES} (64 KiB) are accepted`,
      );
    logger.appendKeys({ customer_id: body.customer_id, step_id: path.id });
    await acceptCallback(
      path.id,
      body,
      {
        raw: rawBody(event),
        timestamp: header(event, TIMESTAMP_HEADER),
        signature: header(event, SIGNATURE_HEADER),
        dispatch: query.dispatch,
      },
      deps(),
    );
    logger.info('step callback accepted', { status: body.status });
    return { status: 200, body: { message: 'Step result accepted', step_id: path.id } };
  },
};

export const handler = httpApi('executions', routes, authenticate);
