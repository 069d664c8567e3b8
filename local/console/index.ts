// GET /local/console: the operator's page of the local stack (the Step Functions console's part on
// AWS, plus Arbiter's own records). Its home: counts by status and executions by outcome, pending
// approvals with their time left, the last operator alerts, then executions and recommendations;
// and a page for each execution and recommendation. HTML only, without script, everything escaped.
import { systemClock } from '../../functions/adapters/system-clock.js';
import { RECOMMENDATION_STATUSES } from '../../functions/core/model/statuses.js';
import { executionName } from '../../functions/core/ports/workflow.js';
import type { LocalRequest, LocalResponse, LocalRoute } from '../gateway.js';
import type { Outbox } from '../sns/index.js';
import type { Executions } from '../step-functions/executions.js';
import { stepStateName } from '../step-functions/step-names.js';
import { operatorAlertsSection } from './alerts-section.js';
import { countByCustomer, countsSection } from './counts.js';
import { executionPage, executionsSection, recommendationOf } from './executions-page.js';
import { CONSOLE_HEADERS, CONSOLE_PATH, consolePage } from './layout.js';
import { pendingApprovalsSection, recommendationPage, recommendationsSection } from './recommendations-page.js';
import { type ConsoleStore, EXECUTION_OUTCOMES, withConsoleStore } from './store.js';

export { CONSOLE_PATH } from './layout.js';

export interface ConsoleSources {
  executions: Executions;
  dynamoEndpoint: string;
  tableName: string;
  /** The local SNS topic's outbox, for the operator alerts; without it the home says none is connected. */
  outbox?: Outbox;
}

const STATUS_COUNTS = {
  id: 'status-counts',
  heading: 'Recommendations by status',
  rowLabel: 'Status',
  names: RECOMMENDATION_STATUSES,
};
const OUTCOME_COUNTS = {
  id: 'execution-outcomes',
  heading: 'Executions by outcome',
  rowLabel: 'Outcome',
  names: EXECUTION_OUTCOMES,
};

/** The list shows this many recommendations; the customer filter reaches the others. */
const MAX_LISTED = 200;

const page = (body: string, statusCode = 200): LocalResponse => ({ statusCode, headers: { ...CONSOLE_HEADERS }, body });

const notFound = (what: string) => page(consolePage('Not found', `<p class="empty">No such ${what}.</p>`), 404);

export function consoleRoutes({ executions, dynamoEndpoint, tableName, outbox }: ConsoleSources): LocalRoute[] {
  const read = <T>(run: (store: ConsoleStore) => Promise<T>) => withConsoleStore(dynamoEndpoint, tableName, run);

  async function overview(request: LocalRequest): Promise<LocalResponse> {
    const customerId = request.query.get('customer_id')?.trim() || undefined;
    const { customers, recommendations, approvals, plans } = await read(async (store) => {
      const customers = customerId ? [customerId] : await store.customers();
      const [recommendations, approvals, plans] = await Promise.all([
        store.listRecommendations(customers),
        store.pendingApprovals(customers),
        store.planStatuses(customers),
      ]);
      return { customers, recommendations, approvals, plans };
    });
    // Counted from the lists read anyway (every recommendation of each customer, as the API's listing
    // reads them): a COUNT Query of gsi1 per customer and status took 1.4 s of 2.9 s with 20 customers.
    const statusCounts = countByCustomer(customers, recommendations);
    const outcomeCounts = countByCustomer(customers, plans);
    const endings = new Map(recommendations.map((r) => [executionName(r.customer_id, r.id), r.status]));
    const counts = `<div class="home">${countsSection(STATUS_COUNTS, statusCounts)}\n${countsSection(OUTCOME_COUNTS, outcomeCounts)}</div>`;
    const sections = [
      counts,
      pendingApprovalsSection(approvals, systemClock.now()),
      // The filter holds for the whole page: an operator following one customer sees only its workflows and alerts too.
      operatorAlertsSection(outbox, customerId),
      executionsSection(
        executions.list().filter((e) => !customerId || recommendationOf(e)?.customer_id === customerId),
        endings,
      ),
      recommendationsSection(
        recommendations.slice(0, MAX_LISTED),
        customerId,
        Math.max(0, recommendations.length - MAX_LISTED),
      ),
    ];
    return page(consolePage('Arbiter console', sections.join('\n'), { refresh: true }));
  }

  async function recommendation(request: LocalRequest): Promise<LocalResponse> {
    const { customer, id } = request.pathParameters;
    const detail = await read((store) => store.recommendation(customer, id));
    if (!detail) return notFound('recommendation');
    const execution = executions.find(executions.executionArn(executionName(customer, id)));
    return page(recommendationPage(detail, execution?.name));
  }

  async function execution(request: LocalRequest): Promise<LocalResponse> {
    const found = executions.find(executions.executionArn(request.pathParameters.name));
    if (!found) return notFound('execution');
    const of = recommendationOf(found);
    const detail = of && (await read((store) => store.recommendation(of.customer_id, of.recommendation_id)));
    const actions = detail?.plan?.steps.map((step) => step.action);
    const nameState = (state: string, json: string) => {
      const index = executions.stepIndexOf(state, json);
      return index === undefined ? state : stepStateName(state, index, actions?.[index]);
    };
    return page(executionPage(found, detail?.status, nameState));
  }

  return [
    { method: 'GET', path: CONSOLE_PATH, serve: overview },
    { method: 'GET', path: `${CONSOLE_PATH}/recommendations/{customer}/{id}`, serve: recommendation },
    { method: 'GET', path: `${CONSOLE_PATH}/executions/{name}`, serve: execution },
  ];
}
