// The plan's step actions of a recommendation, as the local log names step tasks with them: read
// through the same stores the handlers use.
import { documentClient } from '../functions/adapters/dynamo.js';
import { dynamoStores } from '../functions/adapters/stores.js';
import { systemClock } from '../functions/adapters/system-clock.js';
import type { StepActions } from './step-functions/step-names.js';

export function planStepActions(endpoint: string, table: string): { stepActions: StepActions; close(): void } {
  const db = documentClient({ endpoint });
  const { recommendations, plans } = dynamoStores({ db, table, clock: systemClock });
  return {
    async stepActions(customerId, recommendationId) {
      const [rec] = await recommendations.getRecommendations(customerId, [recommendationId]);
      const plan = rec?.plan_id ? await plans.getPlan(customerId, rec.plan_id, { results: false }) : undefined;
      return plan?.steps.map((step) => step.action);
    },
    close: () => db.destroy(),
  };
}
