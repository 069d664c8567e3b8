// Resubmitting an id the customer already has: the same content is a duplicate (reported, not
// stored again); different content is refused with 409 naming the id and the fields that differ,
// never silently dropped (issue 13 §5).
import { StateConflict } from '../model/errors.js';
import type { RecommendationInput } from '../model/inputs.js';
import type { Recommendation } from '../model/records.js';

/** The fields an agent sends (customer_id is the request's and is checked apart). */
const CONTENT_FIELDS = [
  'agent_id',
  'agent_type',
  'type',
  'title',
  'description',
  'action',
  'risk_level',
  'estimated_savings',
  'estimated_impact',
  'affected_resources',
  'parameters',
  'dependencies',
  'priority',
  'confidence',
  'expires_at',
  'window',
  'steps',
  'metadata',
] as const satisfies readonly (keyof RecommendationInput)[];

/** JSON with keys sorted, so that two equal values print alike whatever their key order. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
    ) ?? 'undefined'
  );
}

export function changedFields(submitted: RecommendationInput, stored: Recommendation): string[] {
  return CONTENT_FIELDS.filter((field) => canonical(submitted[field]) !== canonical(stored[field]));
}

/** Throws StateConflict when any resubmitted id comes with other content than stored. */
export function refuseChangedResubmissions(
  submitted: readonly RecommendationInput[],
  storedById: ReadonlyMap<string, Recommendation>,
): void {
  const changed = submitted.flatMap((rec) => {
    const stored = storedById.get(rec.id);
    const fields = stored ? changedFields(rec, stored) : [];
    return fields.length > 0 ? [`${rec.id} (${fields.join(', ')})`] : [];
  });
  if (changed.length > 0) {
    throw new StateConflict(
      `already submitted with other content: ${changed.slice(0, 20).join('; ')}${changed.length > 20 ? `; and ${changed.length - 20} more` : ''}. Submit changes under a new id.`,
    );
  }
}
