// What the simulated agents do for each action: the results of seed 000's executeStep and, for a
// rollback, what its rollbackStep undid. Any other action simply succeeds.
import { randomBytes } from 'node:crypto';
import type { StepReport, StepRequest } from '../../functions/core/protocol/agent-steps.js';
import type { Simulation } from './simulate.js';

type Data = Record<string, unknown>;

interface SimulatedAction {
  execute(parameters: Data): { result: Data; rollback_data?: Data };
  rollback(data: Data): Data;
}

/** The seed migrates three instances; a step that names its resources migrates those. */
const DEFAULT_INSTANCES = 3;

const ACTIONS: Record<string, SimulatedAction> = {
  take_snapshot: {
    execute() {
      const snapshotId = `snap-${randomBytes(4).toString('hex')}`;
      return { result: { snapshot_id: snapshotId, size_gb: 100 }, rollback_data: { snapshot_id: snapshotId } };
    },
    rollback: (data) => ({ deleted_snapshot: data.snapshot_id }),
  },
  scale_resources: {
    execute: () => ({
      result: { previous_count: 5, new_count: 3, scaled_down: 2 },
      rollback_data: { restore_count: 5 },
    }),
    rollback: (data) => ({ restored_count: data.restore_count ?? 5 }),
  },
  migrate_workload: {
    execute(parameters) {
      const resources = parameters.affected_resources;
      const migrated = Array.isArray(resources) && resources.length > 0 ? resources.length : DEFAULT_INSTANCES;
      return {
        result: { migrated_instances: migrated, status: 'completed' },
        rollback_data: { migrated_instances: migrated },
      };
    },
    rollback: (data) => ({ migrated_back: data.migrated_instances ?? DEFAULT_INSTANCES }),
  },
  validate_quality: {
    execute: () => ({ result: { quality_score: 0.95, passed: true } }),
    rollback: () => ({ status: 'nothing to undo' }),
  },
};

function anyAction(action: string): SimulatedAction {
  return {
    execute: () => ({ result: { action, status: 'completed' } }),
    rollback: () => ({ action, status: 'rolled_back' }),
  };
}

/** The outcome with `result.padding` grown until {result, rollback_data} is `bytes` of JSON (as Arbiter measures it). */
function padded(
  outcome: { result: Data; rollback_data?: Data },
  bytes: number,
): { result: Data; rollback_data?: Data } {
  if (bytes === 0) return outcome;
  const size = (o: typeof outcome) =>
    Buffer.byteLength(JSON.stringify({ result: o.result, rollback_data: o.rollback_data ?? null }));
  const empty = { ...outcome, result: { ...outcome.result, padding: '' } };
  return { ...empty, result: { ...empty.result, padding: 'x'.repeat(Math.max(0, bytes - size(empty))) } };
}

/** The report for a request, failing it when the simulation says so. */
export function perform(request: StepRequest, simulation: Simulation): StepReport {
  const { action, mode } = request;
  const simulated = ACTIONS[action] ?? anyAction(action);
  if (mode === 'execute') {
    if (simulation.fail_steps.includes(action)) return { status: 'failed', error: `simulated failure of ${action}` };
    return { status: 'completed', ...padded(simulated.execute(request.parameters), simulation.result_bytes) };
  }
  if (simulation.fail_rollback.includes(action))
    return { status: 'failed', error: `simulated rollback failure of ${action}` };
  return { status: 'completed', result: simulated.rollback(request.rollback_data ?? {}) };
}
