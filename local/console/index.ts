// GET /local/console: the operator's page of the local stack (the Step Functions console's part on
// AWS, plus Arbiter's own records): executions, recommendations, pending approvals, and a page for
// each execution and recommendation. HTML only, without script, everything escaped (../html.ts).
import { executionName } from '../../functions/core/ports/workflow.js';
import type { LocalRequest, LocalResponse, LocalRoute } from '../gateway.js';
import type { Executions } from '../step-functions/executions.js';
import { executionPage, executionsSection, recommendationOf } from './executions-page.js';
import { CONSOLE_HEADERS, CONSOLE_PATH, consolePage } from './layout.js';
import { pendingApprovalsSection, recommendationPage, recommendationsSection } from './recommendations-page.js';
import { type ConsoleStore, withConsoleStore } from './store.js';

export { CONSOLE_PATH } from './layout.js';

export interface ConsoleSources {
  executions: Executions;
  dynamoEndpoint: string;
  tableName: string;
}

/** The list shows this many recommendations; the customer filter reaches the others. */
const MAX_LISTED = 200;

const page = (body: string, statusCode = 200): LocalResponse => ({ statusCode, headers: { ...CONSOLE_HEADERS }, body });

const notFound = (what: string) => page(consolePage('Not found', `<p class="empty">No such ${what}.</p>`), 404);

export function consoleRoutes({ executions, dynamoEndpoint, tableName }: ConsoleSources): LocalRoute[] {
  const read = <T>(run: (store: ConsoleStore) => Promise<T>) => withConsoleStore(dynamoEndpoint, tableName, run);

  async function overview(request: LocalRequest): Promise<LocalResponse> {
    const customerId = request.query.get('customer_id')?.trim() || undefined;
    const { recommendations, approvals } = await read(async (store) => {
      const customers = customerId ? [customerId] : await store.customers();
      const [recommendations, approvals] = await Promise.all([
        store.listRecommendations(customers),
        store.pendingApprovals(customers),
      ]);
      return { recommendations, approvals };
    });
    const sections = [
      // The filter holds for the whole page: an operator following one customer sees only its workflows too.
      executionsSection(
        executions.list().filter((e) => !customerId || recommendationOf(e)?.customer_id === customerId),
      ),
      recommendationsSection(
        recommendations.slice(0, MAX_LISTED),
        customerId,
        Math.max(0, recommendations.length - MAX_LISTED),
      ),
      pendingApprovalsSection(approvals),
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

  function execution(request: LocalRequest): LocalResponse {
    const found = executions.find(executions.executionArn(request.pathParameters.name));
    return found ? page(executionPage(found)) : notFound('execution');
  }

  return [
    { method: 'GET', path: CONSOLE_PATH, serve: overview },
    { method: 'GET', path: `${CONSOLE_PATH}/recommendations/{customer}/{id}`, serve: recommendation },
    { method: 'GET', path: `${CONSOLE_PATH}/executions/{name}`, serve: execution },
  ];
}
