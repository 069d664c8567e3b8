// What the example agent manages: block-storage volumes, kept in memory. Three actions, each with
// its undo: resize a volume (quick), snapshot it (long: answered 202, reported by callback), and
// check that it offers enough IOPS (fails when it does not, which makes Arbiter roll back).
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepContext, StepOutcome, StepRequest } from 'arbiter/agent';

export interface Volume {
  volume_id: string;
  size_gb: number;
  iops: number;
  snapshots: string[];
}

/** A volume never seen before is taken to be the default kind: 100 GB, 3,000 IOPS. */
const NEW_VOLUME = { size_gb: 100, iops: 3000 };

export class Volumes {
  private readonly byId = new Map<string, Volume>();
  /** Snapshots taken per volume, to name the next one. */
  private readonly snapshotsTaken = new Map<string, number>();

  get(volumeId: string): Volume {
    let volume = this.byId.get(volumeId);
    if (!volume) {
      volume = { volume_id: volumeId, ...NEW_VOLUME, snapshots: [] };
      this.byId.set(volumeId, volume);
    }
    return volume;
  }

  list(): Volume[] {
    return [...this.byId.values()];
  }

  nextSnapshotId(volumeId: string): string {
    const taken = (this.snapshotsTaken.get(volumeId) ?? 0) + 1;
    this.snapshotsTaken.set(volumeId, taken);
    return `snap-${volumeId}-${taken}`;
  }
}

function text(parameters: Record<string, unknown>, name: string): string {
  const value = parameters[name];
  if (typeof value !== 'string' || value === '') throw new Error(`parameters.${name} must be a non-empty string`);
  return value;
}

function count(parameters: Record<string, unknown>, name: string, fallback?: number): number {
  const value = parameters[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new Error(`parameters.${name} must be a positive whole number`);
  return value;
}

export interface VolumeAgentOptions {
  /** How long a snapshot takes (default 2 s; a step may say `duration_ms`). */
  snapshotMs?: number;
}

export function volumeAgent(volumes: Volumes, options: VolumeAgentOptions = {}) {
  async function execute(step: StepRequest, context: StepContext): Promise<StepOutcome> {
    const p = step.parameters;
    const volume = volumes.get(text(p, 'volume_id'));
    switch (step.action) {
      case 'resize_volume': {
        const previous = volume.size_gb;
        volume.size_gb = count(p, 'size_gb');
        return {
          result: { volume_id: volume.volume_id, previous_size_gb: previous, size_gb: volume.size_gb },
          rollback_data: { volume_id: volume.volume_id, size_gb: previous },
        };
      }
      case 'snapshot_volume': {
        context.accept(); // long work: Arbiter gets 202 now and the report by callback
        await sleep(count(p, 'duration_ms', options.snapshotMs ?? 2000), undefined, { signal: context.signal });
        const snapshotId = volumes.nextSnapshotId(volume.volume_id);
        volume.snapshots.push(snapshotId);
        return {
          result: { volume_id: volume.volume_id, snapshot_id: snapshotId },
          rollback_data: { volume_id: volume.volume_id, snapshot_id: snapshotId },
        };
      }
      case 'check_iops': {
        const required = count(p, 'min_iops');
        if (volume.iops < required)
          return {
            status: 'failed',
            error: `volume ${volume.volume_id} offers ${volume.iops} IOPS, below the ${required} required`,
          };
        return { result: { volume_id: volume.volume_id, iops: volume.iops } };
      }
      default:
        throw new Error(`this agent does not know the action ${step.action}`);
    }
  }

  async function rollback(step: StepRequest): Promise<StepOutcome> {
    const data = step.rollback_data ?? {};
    const volume = volumes.get(text(data, 'volume_id'));
    switch (step.action) {
      case 'resize_volume':
        volume.size_gb = count(data, 'size_gb');
        return { result: { volume_id: volume.volume_id, restored_size_gb: volume.size_gb } };
      case 'snapshot_volume': {
        const snapshotId = text(data, 'snapshot_id');
        volume.snapshots = volume.snapshots.filter((s) => s !== snapshotId);
        return { result: { volume_id: volume.volume_id, deleted_snapshot: snapshotId } };
      }
      default:
        return { result: { note: `nothing to undo for ${step.action}` } };
    }
  }

  return { execute, rollback };
}
