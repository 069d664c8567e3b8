// What `arbiter coordinate FILE` accepts: the whole request, `{recommendations: [...]}`, or just the
// array; flags fill in or override the customer, auto_approve, execute_now and dry_run.
import type { CoordinateInput, RecommendationSubmission } from '../sdk/client.js';
import { UsageError } from './context.js';

export interface CoordinateFlags {
  customer?: string;
  autoApprove?: boolean;
  executeNow?: boolean;
  dryRun?: boolean;
}

export function coordinateInput(document: unknown, flags: CoordinateFlags): CoordinateInput {
  const request: Partial<CoordinateInput> = Array.isArray(document)
    ? { recommendations: document as RecommendationSubmission[] }
    : typeof document === 'object' && document !== null
      ? { ...(document as Partial<CoordinateInput>) }
      : {};
  if (!Array.isArray(request.recommendations))
    throw new UsageError('the file must hold a coordinate request, {"recommendations": [...]}, or an array of them');
  const customer_id = flags.customer ?? request.customer_id;
  if (!customer_id) throw new UsageError('name the customer: --customer, or customer_id in the file');
  return {
    ...request,
    customer_id,
    recommendations: request.recommendations,
    ...(flags.autoApprove ? { auto_approve: true } : {}),
    ...(flags.executeNow ? { execute_now: true } : {}),
    ...(flags.dryRun ? { dry_run: true } : {}),
  };
}
