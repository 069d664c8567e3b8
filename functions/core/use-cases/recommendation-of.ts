// One recommendation by id, or NotFound: what most tasks and views read first.
import { NotFound } from '../model/errors.js';
import type { Recommendation } from '../model/records.js';
import type { RecommendationStore } from '../ports/index.js';

export async function recommendationOf(
  customerId: string,
  recommendationId: string,
  deps: { recommendations: Pick<RecommendationStore, 'getRecommendations'> },
  /** What the NotFound says, where the caller's readers need other words (the review page). */
  missing = `recommendation ${recommendationId} not found`,
): Promise<Recommendation> {
  const [rec] = await deps.recommendations.getRecommendations(customerId, [recommendationId]);
  if (!rec) throw new NotFound(missing);
  return rec;
}
