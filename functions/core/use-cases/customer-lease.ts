// The customer's coordination lease around work that judges its active set: a coordination and the
// cancelling of dependents never judge it at once. Work that finds something it read moved meanwhile
// (StaleState: an approval landed) starts over from what is stored, a few times at most.
import { StaleState } from '../model/errors.js';
import type { RecommendationStore } from '../ports/index.js';

const ATTEMPTS = 3;

export async function underCustomerLease<T>(
  customerId: string,
  deps: { recommendations: Pick<RecommendationStore, 'lockCustomer'> },
  work: () => Promise<T>,
): Promise<T> {
  const release = await deps.recommendations.lockCustomer(customerId);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof StaleState) || attempt === ATTEMPTS) throw error;
      }
    }
  } finally {
    await release();
  }
}
