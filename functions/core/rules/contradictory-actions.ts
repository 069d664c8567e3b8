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

// The same relation on small integers, for loops over many pairs: each action that has an opposite
// gets a number, every other action -1, and a table answers for two numbers.
const OPPOSABLE = [...OPPOSITES.keys()];
const NUMBER_OF = new Map(OPPOSABLE.map((action, k) => [action, k]));
const TABLE = new Uint8Array(OPPOSABLE.length * OPPOSABLE.length);
for (const [a, b] of CONTRADICTORY_PAIRS) {
  TABLE[NUMBER_OF.get(a)! * OPPOSABLE.length + NUMBER_OF.get(b)!] = 1;
  TABLE[NUMBER_OF.get(b)! * OPPOSABLE.length + NUMBER_OF.get(a)!] = 1;
}

/** The number of an action that has opposites, or -1 for one that contradicts nothing. */
export function opposableNumber(action: string): number {
  return NUMBER_OF.get(action) ?? -1;
}

/** `contradicts` for two opposable numbers (either may be -1). */
export function numbersContradict(a: number, b: number): boolean {
  return a >= 0 && b >= 0 && TABLE[a * OPPOSABLE.length + b] === 1;
}
