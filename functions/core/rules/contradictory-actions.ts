// Actions that undo each other. The relation is symmetric: listing one direction is enough.
const CONTRADICTORY_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['scale_up', 'scale_down'],
  ['scale_up', 'terminate'],
  ['scale_down', 'add_capacity'],
  ['migrate_to_spot', 'migrate_to_on_demand'],
  ['migrate_to_spot', 'reserve_instances'],
  ['increase_batch_size', 'decrease_batch_size'],
  ['enable_caching', 'disable_caching'],
];

const OPPOSITES = new Map<string, string[]>();
for (const [a, b] of CONTRADICTORY_PAIRS) {
  OPPOSITES.set(a, [...(OPPOSITES.get(a) ?? []), b]);
  OPPOSITES.set(b, [...(OPPOSITES.get(b) ?? []), a]);
}

export function opposites(action: string): readonly string[] {
  return OPPOSITES.get(action) ?? [];
}

export function contradicts(a: string, b: string): boolean {
  return opposites(a).includes(b);
}
