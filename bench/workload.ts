// A realistic, reproducible batch of n recommendations: most touch 1–5 resources of a shared pool
// that grows with n, a tenth use actions that contradict another, a few name no resources, and a
// sprinkling depend on an earlier recommendation (rarely on an unknown id, or in a cycle of two).

import { RISK_LEVELS } from '../functions/core/model/inputs.js';
import type { Candidate, DetectionInput } from '../functions/core/rules/conflicts.js';

const CONTRADICTORY = [
  'scale_up',
  'scale_down',
  'terminate',
  'add_capacity',
  'migrate_to_spot',
  'migrate_to_on_demand',
  'reserve_instances',
  'enable_caching',
  'disable_caching',
];
const NEUTRAL = [
  'optimize_kv_cache',
  'rightsize',
  'tune_autoscaling',
  'enable_compression',
  'update_ami',
  'move_storage_tier',
];

/** mulberry32: a small seeded PRNG so every run measures the same inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function workload(n: number, seed = 42): DetectionInput {
  const random = prng(seed + n);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const pool = Math.max(4, n);
  const fresh: Candidate[] = [];
  let cycleWith = -1; // a recommendation that depends on the next one, which will depend back on it
  for (let i = 0; i < n; i++) {
    const resources = new Set<string>();
    if (random() >= 0.002) {
      const count = 1 + Math.floor(random() * 5);
      while (resources.size < count) resources.add(`res-${Math.floor(random() * pool)}`);
    }
    const dependencies: string[] = [];
    const roll = random();
    if (roll < 0.05 && i > 0) dependencies.push(`rec-${Math.floor(random() * i)}`);
    else if (roll < 0.051) dependencies.push(`rec-unknown-${i}`);
    else if (roll < 0.052 && i + 1 < n) dependencies.push(`rec-${i + 1}`);
    if (i > 0 && cycleWith === i - 1) dependencies.push(`rec-${i - 1}`);
    cycleWith = dependencies.includes(`rec-${i + 1}`) ? i : -1;
    fresh.push({
      id: `rec-${i}`,
      action: random() < 0.1 ? pick(CONTRADICTORY) : pick(NEUTRAL),
      affected_resources: [...resources],
      dependencies,
      priority: 1 + Math.floor(random() * 10),
      estimated_savings: Math.round(random() * 500_000) / 100,
      confidence: Math.round(random() * 100) / 100,
      risk_level: pick(RISK_LEVELS),
    });
  }
  return { fresh, active: [], known: new Map(), freezeWindows: [], now: new Date('2025-10-20T12:00:00Z') };
}
